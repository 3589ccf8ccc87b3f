import { describe, expect, it } from 'vitest'
import { isDomainError } from '../errors/domain-error.ts'
import { assertWithinCaps, capsView, hasCaps, priceClaim, type RuleTerms } from './quote.ts'

const base: RuleTerms = {
  version: 1,
  currency: 'AUD',
  rate_points: 1n,
  rate_cash_minor: 1n,
  min_points: 1n,
  max_points: null,
  step_points: 1n,
  fee_fixed_minor: 0n,
  fee_bps: 0,
  fee_payer: 'provider',
  cap_daily_minor: null,
  cap_30d_minor: null,
}

const rule = (overrides: Partial<RuleTerms>): RuleTerms => ({ ...base, ...overrides })

function refusalOf(fn: () => unknown): { code: string; message: string } | undefined {
  try {
    fn()
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message }
    throw error
  }
  return undefined
}

const codeOf = (fn: () => unknown) => refusalOf(fn)?.code

describe('priceClaim', () => {
  it.each([
    [
      'the default 1 point = 1 cent',
      base,
      100n,
      { gross: 100n, fee: 0n, net: 100n, reserved: 100n },
    ],
    [
      'a rate that divides evenly',
      rule({ rate_points: 100n, rate_cash_minor: 5n }),
      1000n,
      { gross: 50n, fee: 0n, net: 50n, reserved: 50n },
    ],
    [
      'floor rounding of the conversion',
      rule({ rate_points: 100n, rate_cash_minor: 1n }),
      150n,
      { gross: 1n, fee: 0n, net: 1n, reserved: 1n },
    ],
    [
      'a rate of 3 points a cent',
      rule({ rate_points: 3n }),
      10n,
      { gross: 3n, fee: 0n, net: 3n, reserved: 3n },
    ],
    [
      'a fee the provider pays',
      rule({ fee_fixed_minor: 50n, fee_bps: 100 }),
      10_000n,
      { gross: 10_000n, fee: 150n, net: 10_000n, reserved: 10_150n },
    ],
    [
      'the same fee the customer pays',
      rule({ fee_fixed_minor: 50n, fee_bps: 100, fee_payer: 'customer' }),
      10_000n,
      { gross: 10_000n, fee: 150n, net: 9850n, reserved: 10_000n },
    ],
    [
      'floor rounding of the percentage fee',
      rule({ fee_bps: 33 }),
      1000n,
      { gross: 1000n, fee: 3n, net: 1000n, reserved: 1003n },
    ],
    [
      'a fee of 100%',
      rule({ fee_bps: 10_000 }),
      7n,
      { gross: 7n, fee: 7n, net: 7n, reserved: 14n },
    ],
    [
      'the minimum itself',
      rule({ min_points: 500n }),
      500n,
      { gross: 500n, fee: 0n, net: 500n, reserved: 500n },
    ],
    [
      'the maximum itself',
      rule({ max_points: 500n }),
      500n,
      { gross: 500n, fee: 0n, net: 500n, reserved: 500n },
    ],
    [
      'a multiple of the step',
      rule({ step_points: 50n }),
      150n,
      { gross: 150n, fee: 0n, net: 150n, reserved: 150n },
    ],
    [
      'one point above the minimum',
      rule({ min_points: 500n, max_points: 600n }),
      501n,
      { gross: 501n, fee: 0n, net: 501n, reserved: 501n },
    ],
    [
      'the minimum and maximum being the same',
      rule({ min_points: 500n, max_points: 500n }),
      500n,
      { gross: 500n, fee: 0n, net: 500n, reserved: 500n },
    ],
    [
      'the conversion just short of the next cent',
      rule({ rate_points: 100n }),
      199n,
      { gross: 1n, fee: 0n, net: 1n, reserved: 1n },
    ],
    [
      'the conversion exactly on a cent',
      rule({ rate_points: 100n }),
      200n,
      { gross: 2n, fee: 0n, net: 2n, reserved: 2n },
    ],
    [
      'a rate of several cents a point',
      rule({ rate_cash_minor: 7n, rate_points: 2n }),
      3n,
      { gross: 10n, fee: 0n, net: 10n, reserved: 10n },
    ],
    [
      'a fixed fee alone',
      rule({ fee_fixed_minor: 25n }),
      1000n,
      { gross: 1000n, fee: 25n, net: 1000n, reserved: 1025n },
    ],
    [
      'a percentage fee alone, on the converted amount',
      rule({ rate_points: 10n, fee_bps: 250 }),
      10_000n,
      { gross: 1000n, fee: 25n, net: 1000n, reserved: 1025n },
    ],
    [
      'a provider-paid fee larger than the amount',
      rule({ fee_fixed_minor: 500n }),
      100n,
      { gross: 100n, fee: 500n, net: 100n, reserved: 600n },
    ],
    [
      'a customer-paid fee leaving exactly one cent',
      rule({ fee_fixed_minor: 99n, fee_payer: 'customer' }),
      100n,
      { gross: 100n, fee: 99n, net: 1n, reserved: 100n },
    ],
    [
      'a fee that brings the reserve to the largest exact amount',
      rule({ fee_fixed_minor: 1n }),
      9_007_199_254_740_990n,
      {
        gross: 9_007_199_254_740_990n,
        fee: 1n,
        net: 9_007_199_254_740_990n,
        reserved: 9_007_199_254_740_991n,
      },
    ],
    [
      'the largest exact amount',
      base,
      9_007_199_254_740_991n,
      {
        gross: 9_007_199_254_740_991n,
        fee: 0n,
        net: 9_007_199_254_740_991n,
        reserved: 9_007_199_254_740_991n,
      },
    ],
    [
      'a product far past 64 bits, computed exactly',
      rule({ rate_points: 1_000_000_000n, rate_cash_minor: 999_999_999n }),
      9_007_199_254_740_991n,
      {
        gross: 9_007_199_245_733_791n,
        fee: 0n,
        net: 9_007_199_245_733_791n,
        reserved: 9_007_199_245_733_791n,
      },
    ],
  ])('prices %s', (_name, terms, points, expected) => {
    const quote = priceClaim(terms, points)
    expect({
      gross: quote.gross_minor,
      fee: quote.fee_minor,
      net: quote.net_minor,
      reserved: quote.reserved_minor,
    }).toEqual(expected)
    expect(quote.reserved_minor).toBe(quote.net_minor + quote.fee_minor)
    expect(quote.rule_version).toBe(terms.version)
  })

  it('says what it priced, under which rule, and who pays the fee', () => {
    const terms = rule({ version: 7, currency: 'NZD', fee_payer: 'customer', fee_fixed_minor: 5n })
    expect(priceClaim(terms, 300n)).toEqual({
      points: 300n,
      currency: 'NZD',
      rule_version: 7,
      gross_minor: 300n,
      fee_minor: 5n,
      fee_payer: 'customer',
      net_minor: 295n,
      reserved_minor: 300n,
    })
  })

  it.each([
    ['below the minimum', rule({ min_points: 100n }), 99n, 'amount_out_of_range'],
    ['above the maximum', rule({ max_points: 1000n }), 1001n, 'amount_out_of_range'],
    ['of zero', base, 0n, 'amount_out_of_range'],
    ['between steps', rule({ step_points: 50n }), 125n, 'amount_not_in_steps'],
    ['one point past a step', rule({ step_points: 50n }), 101n, 'amount_not_in_steps'],
    [
      'within range but between steps',
      rule({ min_points: 100n, max_points: 1000n, step_points: 100n }),
      150n,
      'amount_not_in_steps',
    ],
    ['worth nothing after rounding', rule({ rate_points: 100n }), 99n, 'amount_too_small'],
    [
      'eaten by the customer-paid fee',
      rule({ fee_fixed_minor: 100n, fee_payer: 'customer' }),
      100n,
      'amount_too_small',
    ],
    [
      'over the exact JSON range once the fee is added',
      rule({ fee_fixed_minor: 1n }),
      9_007_199_254_740_991n,
      'amount_too_large',
    ],
    [
      'over the exact JSON range by its rate',
      rule({ rate_cash_minor: 2n }),
      9_007_199_254_740_991n,
      'amount_too_large',
    ],
  ])('refuses an amount %s', (_name, terms, points, code) => {
    expect(codeOf(() => priceClaim(terms, points))).toBe(code)
  })

  it.each([
    [
      'both limits',
      rule({ version: 4, min_points: 10n, max_points: 20n }),
      21n,
      'The amount must be between 10 and 20 points under rule version 4.',
    ],
    [
      'the minimum when there is no maximum',
      rule({ version: 3, min_points: 100n }),
      99n,
      'The amount must be at least 100 points under rule version 3.',
    ],
    ['the step', rule({ step_points: 50n }), 125n, 'The amount must be a multiple of 50 points.'],
    [
      'the worth and the fee when nothing is left',
      rule({ fee_fixed_minor: 200n, fee_payer: 'customer' }),
      150n,
      '150 points are worth AUD 1.50, which leaves nothing for the customer after the AUD 2.00 fee.',
    ],
    [
      'the size when over the exact range',
      rule({ rate_cash_minor: 2n }),
      9_007_199_254_740_991n,
      'The amount is too large for a single claim.',
    ],
  ])('names %s in its message', (_name, terms, points, message) => {
    expect(refusalOf(() => priceClaim(terms, points))?.message).toBe(message)
  })
})

describe('caps', () => {
  const capped = rule({ cap_daily_minor: 1000n, cap_30d_minor: 5000n })

  it.each([
    ['no cap', base, false],
    ['a daily cap only', rule({ cap_daily_minor: 1000n }), true],
    ['a 30-day cap only', rule({ cap_30d_minor: 5000n }), true],
    ['both caps', capped, true],
    ['a cap of zero', rule({ cap_daily_minor: 0n }), true],
  ])('knows a rule with %s has caps: %s', (_name, terms, expected) => {
    expect(hasCaps(terms)).toBe(expected)
  })

  it('reports only the caps the rule has', () => {
    expect(
      capsView(rule({ cap_30d_minor: 5000n }), { daily_minor: 700n, thirty_day_minor: 700n }),
    ).toEqual({
      daily: null,
      thirty_day: { limit_minor: 5000n, used_minor: 700n, remaining_minor: 4300n },
    })
  })

  it('has nothing left of a cap used exactly', () => {
    expect(capsView(capped, { daily_minor: 1000n, thirty_day_minor: 5000n })).toEqual({
      daily: { limit_minor: 1000n, used_minor: 1000n, remaining_minor: 0n },
      thirty_day: { limit_minor: 5000n, used_minor: 5000n, remaining_minor: 0n },
    })
  })

  it('reports what is used and left, never below zero', () => {
    expect(capsView(capped, { daily_minor: 1200n, thirty_day_minor: 1200n })).toEqual({
      daily: { limit_minor: 1000n, used_minor: 1200n, remaining_minor: 0n },
      thirty_day: { limit_minor: 5000n, used_minor: 1200n, remaining_minor: 3800n },
    })
    expect(capsView(base, { daily_minor: 5n, thirty_day_minor: 5n })).toEqual({
      daily: null,
      thirty_day: null,
    })
  })

  it.each([
    ['exactly the daily remainder', { daily_minor: 600n, thirty_day_minor: 600n }, 400n, undefined],
    [
      'one cent over the daily cap',
      { daily_minor: 600n, thirty_day_minor: 600n },
      401n,
      'cap_exceeded',
    ],
    [
      'over the 30-day cap only',
      { daily_minor: 0n, thirty_day_minor: 4500n },
      600n,
      'cap_exceeded',
    ],
    ['exactly the 30-day remainder', { daily_minor: 0n, thirty_day_minor: 4500n }, 500n, undefined],
    [
      'one cent past a spent daily cap',
      { daily_minor: 1000n, thirty_day_minor: 1000n },
      1n,
      'cap_exceeded',
    ],
  ])('%s', (_name, usage, points, code) => {
    const quote = priceClaim(capped, points)
    expect(codeOf(() => assertWithinCaps(capped, usage, quote))).toBe(code)
  })

  it('counts the net amount, not what the provider reserves', () => {
    const terms = rule({ cap_daily_minor: 1000n, fee_fixed_minor: 300n })
    const quote = priceClaim(terms, 1000n)
    expect(quote.reserved_minor).toBeGreaterThan(1000n)
    expect(
      codeOf(() => assertWithinCaps(terms, { daily_minor: 0n, thirty_day_minor: 0n }, quote)),
    ).toBeUndefined()
  })

  it('lets any amount through a rule without caps', () => {
    const quote = priceClaim(base, 1_000_000n)
    const usage = { daily_minor: 10n ** 12n, thirty_day_minor: 10n ** 12n }
    expect(codeOf(() => assertWithinCaps(base, usage, quote))).toBeUndefined()
  })

  it.each([
    [
      'daily',
      { daily_minor: 600n, thirty_day_minor: 600n },
      401n,
      "This claim of AUD 4.01 is over the customer's daily cap: AUD 4.00 of AUD 10.00 remains.",
    ],
    [
      '30-day',
      { daily_minor: 0n, thirty_day_minor: 4500n },
      501n,
      "This claim of AUD 5.01 is over the customer's 30-day cap: AUD 5.00 of AUD 50.00 remains.",
    ],
  ])('names the %s cap and what remains of it', (_name, usage, points, message) => {
    const quote = priceClaim(capped, points)
    expect(refusalOf(() => assertWithinCaps(capped, usage, quote))?.message).toBe(message)
  })
})
