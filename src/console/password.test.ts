import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config.ts'
import {
  burnPasswordCheck,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  PBKDF2_ITERATIONS,
  passwordProblem,
  verifyPassword,
} from './password.ts'

// A few iterations keep these tests fast; the count travels with the hash either way.
const FEW = 1000

describe('password hashes', () => {
  it('are PBKDF2-SHA256 with the parameters stored beside them', async () => {
    const stored = await hashPassword('correct horse battery staple', FEW)
    const [scheme, iterations, salt, hash] = stored.split('$')
    expect(scheme).toBe('pbkdf2-sha256')
    expect(iterations).toBe(String(FEW))
    expect(atob(salt ?? '')).toHaveLength(16)
    expect(atob(hash ?? '')).toHaveLength(32)
    expect(stored).not.toContain('correct horse')
  })

  it('use OWASP’s iteration count where configuration is parsed from the environment', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000)
    const { passwordIterations } = parseConfig({ PUBLIC_URL: 'http://cashout.test' })
    expect(passwordIterations).toBe(PBKDF2_ITERATIONS)
    const stored = await hashPassword('correct horse battery staple', passwordIterations)
    expect(stored.split('$')[1]).toBe(String(PBKDF2_ITERATIONS))
    expect(await verifyPassword('correct horse battery staple', stored, PBKDF2_ITERATIONS)).toEqual(
      {
        ok: true,
        rehash: false,
      },
    )
  })

  it('are salted: the same password hashes differently twice', async () => {
    const a = await hashPassword('correct horse battery staple', FEW)
    const b = await hashPassword('correct horse battery staple', FEW)
    expect(a).not.toBe(b)
  })

  it('accept the right password and refuse others', async () => {
    const stored = await hashPassword('correct horse battery staple', FEW)
    expect((await verifyPassword('correct horse battery staple', stored, FEW)).ok).toBe(true)
    expect((await verifyPassword('correct horse battery stapl', stored, FEW)).ok).toBe(false)
    expect((await verifyPassword('Correct horse battery staple', stored, FEW)).ok).toBe(false)
    expect((await verifyPassword('', stored, FEW)).ok).toBe(false)
  })

  it('ask for a fresh hash when stored with fewer iterations than today’s', async () => {
    const stored = await hashPassword('correct horse battery staple', FEW)
    expect(await verifyPassword('correct horse battery staple', stored, FEW + 1)).toEqual({
      ok: true,
      rehash: true,
    })
    expect(await verifyPassword('correct horse battery staple', stored, FEW)).toEqual({
      ok: true,
      rehash: false,
    })
    expect(await verifyPassword('wrong password here', stored, FEW + 1)).toEqual({
      ok: false,
      rehash: false,
    })
  })

  it('treat the same text in either Unicode form as the same password (NFKC)', async () => {
    const stored = await hashPassword('café au lait tous les jours', FEW)
    const decomposed = 'café au lait tous les jours'.normalize('NFD')
    expect((await verifyPassword(decomposed, stored, FEW)).ok).toBe(true)
  })

  it.each([
    ['not a hash'],
    [''],
    ['bcrypt$10$abc$def'],
    ['pbkdf2-sha256$0$AAAA$AAAA'],
    ['pbkdf2-sha256$abc$AAAA$AAAA'],
  ])('refuse anything stored that is not one of ours (%j)', async (stored) => {
    expect((await verifyPassword('correct horse battery staple', stored, FEW)).ok).toBe(false)
  })

  it('spend a real check on an unknown account, and accept nothing', async () => {
    const started = performance.now()
    await burnPasswordCheck('correct horse battery staple', PBKDF2_ITERATIONS)
    // 600,000 rounds take tens of milliseconds at least, even on a fast machine.
    expect(performance.now() - started).toBeGreaterThan(20)
  })
})

describe('new passwords', () => {
  it.each([
    ['short', `Use at least ${MIN_PASSWORD_LENGTH} characters.`],
    ['elevenchars', `Use at least ${MIN_PASSWORD_LENGTH} characters.`],
    ['            ', 'A password cannot be only spaces.'],
    ['x'.repeat(257), 'Use at most 256 characters.'],
  ])('%j is refused: %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem)
  })

  it.each([['twelve chars'], ['correct horse battery staple'], ['🙂'.repeat(12)]])(
    '%j is fine',
    (password) => {
      expect(passwordProblem(password)).toBeUndefined()
    },
  )
})
