import { describe, expect, it } from 'vitest'
import { luhnValid } from './luhn.ts'
import { redact, scrubCardNumbers } from './redact.ts'

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['6392110000000000002', true],
    ['79927398713', true],
    ['', false],
    ['4111-1111', false],
  ])('%s → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid)
  })
})

describe('scrubCardNumbers', () => {
  it('masks Luhn-valid card numbers and leaves other digit runs', () => {
    expect(scrubCardNumbers('card 4111111111111111 ts 1763750000000')).toBe(
      'card [card number] ts 1763750000000',
    )
  })
})

describe('redact', () => {
  it('replaces values under secret-looking keys at any depth', () => {
    const out = redact({
      pan: '4111111111111111',
      ipin: '1234',
      nested: { authorization: 'Bearer abc', webhook_secret: 'whsec_x', amount: 10 },
      list: [{ api_key: 'k' }],
    })
    expect(out).toEqual({
      pan: '[redacted]',
      ipin: '[redacted]',
      nested: { authorization: '[redacted]', webhook_secret: '[redacted]', amount: 10 },
      list: [{ api_key: '[redacted]' }],
    })
  })

  it('keeps only name, message, code and stack of errors, scrubbed', () => {
    const error = Object.assign(new Error('bad card 4111111111111111'), { code: '23505', pan: 'x' })
    const out = redact(error) as Record<string, unknown>
    expect(out.name).toBe('Error')
    expect(out.message).toBe('bad card [card number]')
    expect(out.code).toBe('23505')
    expect(out).not.toHaveProperty('pan')
    expect(String(out.stack)).not.toContain('4111111111111111')
  })

  it('turns bigints and dates into JSON-safe values', () => {
    expect(redact({ n: 12n, at: new Date('2026-01-01T00:00:00Z') })).toEqual({
      n: '12',
      at: '2026-01-01T00:00:00.000Z',
    })
  })

  it('stops at a depth limit instead of recursing forever', () => {
    const deep: Record<string, unknown> = {}
    let cursor = deep
    for (let i = 0; i < 20; i++) {
      cursor.next = {}
      cursor = cursor.next as Record<string, unknown>
    }
    expect(JSON.stringify(redact(deep))).toContain('[nested]')
  })
})
