import { describe, expect, it } from 'vitest'
import {
  base32Decode,
  base32Encode,
  groupForTyping,
  hotp,
  matchTotp,
  newTotpSecret,
  otpauthUri,
  timeStep,
  totpAt,
} from './totp.ts'

/** RFC 6238's SHA-1 seed, the 20 ASCII bytes "12345678901234567890", as apps receive it. */
const RFC_SECRET = base32Encode(new TextEncoder().encode('12345678901234567890'))

describe('base32 (RFC 4648, unpadded)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j is %j and back', (text, encoded) => {
    expect(base32Encode(new TextEncoder().encode(text))).toBe(encoded)
    expect(new TextDecoder().decode(base32Decode(encoded))).toBe(text)
  })

  it('reads what people type: lower case, spaces, dashes and padding', () => {
    expect(new TextDecoder().decode(base32Decode('mzxw 6ytb-oi=='))).toBe('foobar')
  })

  it('refuses letters outside the alphabet', () => {
    expect(() => base32Decode('MZXW1')).toThrow()
  })

  it('encodes the RFC seed as the well-known key', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
  })
})

describe('TOTP (RFC 6238 Appendix B, SHA-1)', () => {
  // The RFC lists 8 digits; apps use 6, which are the same number's last six digits.
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('at %i s the code is the last 6 digits of %s', async (seconds, eight) => {
    expect(await totpAt(RFC_SECRET, new Date(seconds * 1000))).toBe(eight.slice(2))
  })

  it('HOTP (RFC 4226 Appendix D) for the first counters', async () => {
    const expected = ['755224', '287082', '359152', '969429', '338314']
    for (const [counter, code] of expected.entries()) {
      expect(await hotp(RFC_SECRET, counter)).toBe(code)
    }
  })

  it('matches the code of now, or one step either side, and says which step', async () => {
    const at = new Date(1234567890 * 1000)
    const step = timeStep(at)
    expect(await matchTotp(RFC_SECRET, '005924', at)).toBe(step)
    expect(await matchTotp(RFC_SECRET, await hotp(RFC_SECRET, step - 1), at)).toBe(step - 1)
    expect(await matchTotp(RFC_SECRET, await hotp(RFC_SECRET, step + 1), at)).toBe(step + 1)
    expect(await matchTotp(RFC_SECRET, await hotp(RFC_SECRET, step - 2), at)).toBeUndefined()
    expect(await matchTotp(RFC_SECRET, await hotp(RFC_SECRET, step + 2), at)).toBeUndefined()
  })

  it.each([[''], ['12345'], ['1234567'], ['abcdef'], ['00 59 24x']])(
    'refuses %j without trying it',
    async (code) => {
      expect(await matchTotp(RFC_SECRET, code, new Date(1234567890 * 1000))).toBeUndefined()
    },
  )

  it('takes a code typed with spaces', async () => {
    expect(await matchTotp(RFC_SECRET, '005 924', new Date(1234567890 * 1000))).toBeDefined()
  })
})

describe('secrets and what apps read', () => {
  it('makes 160-bit secrets, different each time', () => {
    const a = newTotpSecret()
    expect(a).toMatch(/^[A-Z2-7]{32}$/)
    expect(base32Decode(a)).toHaveLength(20)
    expect(newTotpSecret()).not.toBe(a)
  })

  it('groups a secret in fours for typing', () => {
    expect(groupForTyping('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toBe(
      'GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ',
    )
    expect(groupForTyping('ABCDEF')).toBe('ABCD EF')
  })

  it('writes the Key URI Format with issuer, account and parameters', () => {
    const uri = new URL(otpauthUri(RFC_SECRET, 'ana@example.com'))
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.host).toBe('totp')
    expect(decodeURIComponent(uri.pathname)).toBe('/Cashout:ana@example.com')
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: RFC_SECRET,
      issuer: 'Cashout',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    })
  })
})
