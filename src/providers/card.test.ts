import { describe, expect, it } from 'vitest'
import {
  expiryProblem,
  ipinProblem,
  isKnownTestPan,
  isPlaceholderIpin,
  normalisePan,
  panProblem,
} from './card.ts'

describe('card fields', () => {
  it.each([
    ['4111111111111111', undefined],
    ['6392110000000000002', undefined],
    ['4111111111111112', /check digit/],
    ['411111111111111', /16 or 19/],
    ['41111111111111111', /16 or 19/],
    ['4111a11111111111', /only digits/],
    // Every digit the same: never a real card, whether or not the check digit fits.
    ['0000000000000000', /not a real card/],
    ['4444444444444444', /not a real card/],
    ['9999999999999999', /not a real card/],
    ['0000000000000000000', /not a real card/],
  ])('pan %s', (pan, problem) => {
    const result = panProblem(pan)
    if (problem) expect(result).toMatch(problem)
    else expect(result).toBeUndefined()
  })

  it('normalises spaces and dashes', () => {
    expect(normalisePan(' 4111 1111-1111 1111 ')).toBe('4111111111111111')
  })

  const now = new Date('2026-11-21T12:00:00Z')
  it.each([
    ['2611', undefined],
    ['2612', undefined],
    ['3001', undefined],
    ['2610', /expired/],
    ['2513', /month/],
    ['2600', /month/],
    ['11/26', /YYmm/],
    ['261', /YYmm/],
    // At most 20 years ahead: cards are issued for a few years, and 9912 is a placeholder.
    ['4611', undefined],
    ['4612', /20 years/],
    ['9912', /20 years/],
  ])('expDate %s', (exp, problem) => {
    const result = expiryProblem(exp, now)
    if (problem) expect(result).toMatch(problem)
    else expect(result).toBeUndefined()
  })

  it('treats a card as valid through the last instant of its month', () => {
    expect(expiryProblem('2611', new Date('2026-11-30T23:59:59.999Z'))).toBeUndefined()
    expect(expiryProblem('2611', new Date('2026-12-01T00:00:00Z'))).toMatch(/expired/)
  })

  it.each([
    '4111111111111111',
    '4242424242424242',
    '4000000000000002',
    '4000000000000077',
    '4012888888881881',
    '5555555555554444',
    '5105105105105100',
    '2223003122003222',
    '6011111111111117',
    '3530111333300000',
    '6200000000000005',
  ])('knows %s as a test card', (pan) => {
    expect(isKnownTestPan(pan)).toBe(true)
    expect(panProblem(pan)).toBeUndefined()
  })

  it.each(['6392110000000000002', '4000001234567899', '5412345678901232'])(
    'does not take %s for a test card',
    (pan) => {
      expect(isKnownTestPan(pan)).toBe(false)
    },
  )

  it.each([
    ['1234', undefined],
    ['123', /4 digits/],
    ['12345', /4 digits/],
    ['12a4', /4 digits/],
  ])('ipin %s', (ipin, problem) => {
    const result = ipinProblem(ipin)
    if (problem) expect(result).toMatch(problem)
    else expect(result).toBeUndefined()
  })

  it.each([
    ['0000', true],
    ['9999', true],
    ['0123', true],
    ['3456', true],
    ['6789', true],
    ['9876', true],
    ['3210', true],
    ['7391', false],
    ['2580', false],
    ['1235', false],
    ['1123', false],
    ['8901', false],
    ['0987', false],
    ['12a4', false],
  ])('ipin %s is a placeholder: %s', (ipin, placeholder) => {
    expect(isPlaceholderIpin(ipin)).toBe(placeholder)
  })
})
