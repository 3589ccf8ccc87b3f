import { describe, expect, it } from 'vitest'
import { luhnValid } from '../log/luhn.ts'
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
    // Exactly four digits: an extra digit on either side is not read past.
    ['12611', /YYmm/],
    ['26111', /YYmm/],
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
    '4000000000000002', // declined
    '4000000000000077', // funds available at once
    '4000000000009995', // insufficient funds
    '4000000000003220', // requires authentication
  ])("knows Stripe's outcome card %s as a test card", (pan) => {
    expect(isKnownTestPan(pan)).toBe(true)
  })

  it.each([
    '6392110000000000002',
    '4000001234567899',
    '5412345678901232',
    // Stripe's outcome family is exactly 16 digits starting 4000 0000 0000; a longer number that
    // merely contains one (at either end) is someone else's.
    '4000000000000002000',
    '1234000000000000002',
  ])('does not take %s for a test card', (pan) => {
    expect(isKnownTestPan(pan)).toBe(false)
  })

  it.each([
    ['12345', 'more than four digits, even ones in a row'],
    ['1111 ', 'a trailing space'],
    [' 9876', 'a leading space'],
  ])('judges only exact 4-digit IPINs as placeholders: not %j (%s)', (ipin) => {
    expect(isPlaceholderIpin(ipin)).toBe(false)
  })

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
    ['2580', true],
    ['1212', true],
    ['1004', true],
    ['1235', false],
    ['1123', false],
    ['8901', false],
    ['0987', false],
    ['12a4', false],
  ])('ipin %s is a placeholder: %s', (ipin, placeholder) => {
    expect(isPlaceholderIpin(ipin)).toBe(placeholder)
  })

  it('calls exactly the 34 guessable IPINs placeholders, out of all 10,000', () => {
    // The most common PINs that are neither one digit repeated nor a run, and the keypad column.
    const guessable = new Set<string>([
      '1212',
      '1004',
      '2000',
      '6969',
      '1122',
      '1313',
      '2001',
      '1010',
      '2580',
      '0852',
    ])
    for (let d = 0; d <= 9; d++) guessable.add(String(d).repeat(4))
    for (let start = 0; start + 4 <= 10; start++) {
      const up = '0123456789'.slice(start, start + 4)
      guessable.add(up)
      guessable.add([...up].reverse().join(''))
    }
    expect(guessable.size).toBe(34)
    for (let n = 0; n <= 9999; n++) {
      const ipin = String(n).padStart(4, '0')
      if (isPlaceholderIpin(ipin) !== guessable.has(ipin)) {
        expect.fail(
          `${ipin}: placeholder ${isPlaceholderIpin(ipin)}, guessable ${guessable.has(ipin)}`,
        )
      }
    }
  })
})

/**
 * The numbers the card brands and gateways publish for testing, by who publishes them. A live
 * deployment must refuse every one: anyone can type them, and none belongs to a real account.
 */
const PUBLISHED_TEST_CARDS: Record<string, readonly string[]> = {
  'Visa and Stripe': [
    '4111111111111111',
    '4242424242424242',
    '4012888888881881',
    '4000056655665556',
    '4000002500003155',
    '4000002760003184',
    '4000003800000008',
  ],
  Braintree: [
    '4005519200000004',
    '4009348888881881',
    '4012000033330026',
    '4012000077777777',
    '4217651111111119',
    '4500600000000061',
    '5431111111111111',
    '2223000048400011',
    '6250941006528599',
  ],
  Adyen: [
    '4917610000000000',
    '4988438843884305',
    '4035501000000008',
    '4462030000000000',
    '5454545454545454',
    '6445644564456445',
  ],
  Mastercard: [
    '5555555555554444',
    '5105105105105100',
    '5200828282828210',
    '5500000000000004',
    '2223003122003222',
  ],
  'Authorize.Net': ['5424000000000015'],
  'American Express': [
    '378282246310005',
    '371449635398431',
    '378734493671000',
    '340000000000009',
    '370000000000002',
  ],
  Discover: ['6011111111111117', '6011000990139424', '6011000000000004', '6011981111111113'],
  'Diners Club': ['3056930009020004', '36227206271667', '30569309025904', '38520000023237'],
  JCB: ['3530111333300000', '3566002020360505', '3566111111111113'],
  UnionPay: ['6200000000000005', '6200000000000047', '6205500000000000004'],
  eWAY: ['4444333322221111'],
  'Westpac PayWay': ['4564710000000004', '5163200000000008'],
  'Mastercard Gateway': [
    '5123450000000008',
    '2223000000000007',
    '4005550000000001',
    '4508750015741019',
    '5200000000001096',
  ],
}

/** Amex numbers are 15 digits and some Diners Club ones 14: outside what a payout card may be. */
const SHORTER_BRANDS = new Set(['American Express', 'Diners Club'])

const published = Object.entries(PUBLISHED_TEST_CARDS).flatMap(([brand, pans]) =>
  pans.map((pan) => [brand, pan] as const),
)

describe('published test cards', () => {
  it.each(published)('knows the %s test card %s', (_brand, pan) => {
    expect(isKnownTestPan(pan)).toBe(true)
  })

  it.each(published)('%s %s is a well-formed number, so only the list stops it', (brand, pan) => {
    expect(luhnValid(pan)).toBe(true)
    if (pan.length === 16 || pan.length === 19) {
      // Nothing about its shape gives it away: without the list a live key would take it.
      expect(panProblem(pan)).toBeUndefined()
    } else {
      expect(SHORTER_BRANDS.has(brand)).toBe(true)
      expect([14, 15]).toContain(pan.length)
      expect(panProblem(pan)).toMatch(/16 or 19/)
    }
  })

  it.each(published)('knows %s %s exactly: no number one digit away', (_brand, pan) => {
    // The list holds exact numbers, not prefixes or patterns a real customer's card could share.
    for (let i = 0; i < pan.length; i++) {
      for (const digit of '0123456789') {
        if (digit === pan[i]) continue
        const near = pan.slice(0, i) + digit + pan.slice(i + 1)
        if (isKnownTestPan(near))
          expect.fail(`${near} (one digit from ${pan}) counts as a test card`)
      }
    }
  })
})
