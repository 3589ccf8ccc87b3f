import { describe, expect, test } from 'vitest'
import type { Rule } from '../db/schema.ts'
import { DEFAULT_RULE, type RuleFields } from '../rules/repository.ts'
import { formFromRule, parseRuleForm, percentText, type RuleFormValues } from './rules-form.ts'
import { historyModel } from './rules-history.ts'
import { previewModel } from './rules-model.ts'

const BASE: RuleFormValues = formFromRule(DEFAULT_RULE)

function fields(overrides: Partial<RuleFormValues>): RuleFields {
  const result = parseRuleForm({ ...BASE, ...overrides })
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.fields
}

function errors(overrides: Partial<RuleFormValues>) {
  const result = parseRuleForm({ ...BASE, ...overrides })
  if (result.ok) throw new Error('expected errors')
  return result.errors
}

describe('the rules form', () => {
  test.each([
    ['0.1', 10n],
    ['1.5', 150n],
    ['19.99', 1999n],
    ['.05', 5n],
    ['$1,234.56', 123456n],
    ['1000000', 100000000n],
  ])('reads Cash %s as exactly %s cents', (cash, minor) => {
    expect(fields({ cash }).rate_cash_minor).toBe(minor)
  })

  test.each([
    ['1.5', 150],
    ['0.07', 7],
    ['2.75%', 275],
    ['100', 10_000],
    ['', 0],
  ])('reads a %s percent fee as %s basis points', (fee_percent, bps) => {
    expect(fields({ fee_percent }).fee_bps).toBe(bps)
  })

  test.each([
    [0, '0'],
    [150, '1.5'],
    [7, '0.07'],
    [275, '2.75'],
    [10_000, '100'],
  ])('shows %s basis points as %s', (bps, text) => {
    expect(percentText(bps)).toBe(text)
    expect(fields({ fee_percent: text }).fee_bps).toBe(bps)
  })

  test('reads the lifetime in its unit, and empty caps and maximum as none', () => {
    const f = fields({ lifetime: '90', lifetime_unit: 'minutes', max_points: '', cap_daily: '' })
    expect(f.claim_lifetime_seconds).toBe(5400)
    expect(f.max_points).toBeNull()
    expect(f.cap_daily_minor).toBeNull()
  })

  test('shows a rule as the form it came from', () => {
    const f = fields({
      cash: '1.50',
      fee_fixed: '0.25',
      cap_30d: '200',
      lifetime: '36',
      lifetime_unit: 'hours',
    })
    expect(formFromRule(f)).toMatchObject({
      cash: '1.50',
      fee_fixed: '0.25',
      cap_30d: '200.00',
      lifetime: '36',
      lifetime_unit: 'hours',
    })
    expect(formFromRule({ ...f, claim_lifetime_seconds: 301 })).toMatchObject({
      lifetime: '301',
      lifetime_unit: 'seconds',
    })
  })

  test('shows every mistake at once, in the order of the fields', () => {
    const found = errors({ max_points: '100', cash: 'abc', min_points: '500' })
    expect(found).toEqual({
      cash: 'Enter an amount in dollars, like 1.50.',
      max_points: 'The maximum must not be less than the minimum.',
    })
    expect(Object.keys(found)).toEqual(['cash', 'max_points'])
  })

  test('says what is wrong in the form’s own units', () => {
    expect(errors({ cash: '1.505' })).toEqual({
      cash: 'Use at most two decimal places, like 1.50.',
    })
    expect(errors({ points: '' })).toEqual({ points: 'Enter how many points.' })
    expect(errors({ points: '-5' })).toEqual({ points: 'Enter a whole number, like 100.' })
    expect(errors({ points: '1000000001' })).toEqual({ points: 'Enter at most 1,000,000,000.' })
    expect(errors({ fee_payer: 'nobody' })).toEqual({ fee_payer: 'Choose who pays the fee.' })
    expect(errors({ lifetime: '4', lifetime_unit: 'minutes' })).toEqual({
      lifetime: 'Links must last from 5 minutes to 30 days.',
    })
    expect(errors({ lifetime_unit: 'weeks' })).toEqual({
      lifetime: 'Choose minutes, hours or days.',
    })
    expect(errors({ cap_30d: '99999999999999999999' })).toEqual({
      cap_30d: 'Enter at most $90,071,992,547,409.91.',
    })
  })
})

describe('the preview', () => {
  const rule = fields({ points: '100', cash: '1.00', fee_fixed: '0.50', fee_payer: 'customer' })

  test('prices with the quote code and names the fee’s payer', () => {
    expect(previewModel(rule, 2, '1,000')).toEqual({
      kind: 'quote',
      points: '1,000 points',
      receives: '$9.50',
      gross: '$10.00',
      fee: '$0.50',
      feeNote: 'paid by the customer, out of the payout',
      floatGives: '$10.00',
      capNote: undefined,
    })
  })

  test('explains points the rule would refuse', () => {
    expect(previewModel(rule, 2, '50')).toEqual({
      kind: 'problem',
      message: '50 points are worth $0.50: after the $0.50 fee nothing is left for the customer.',
    })
    expect(previewModel({ ...rule, max_points: 500n }, 2, '501').kind).toBe('problem')
    expect(previewModel(rule, 2, '0')).toEqual({
      kind: 'problem',
      message: 'Enter at least 1 point.',
    })
  })

  test('warns when one claim would be over a customer cap', () => {
    const capped = { ...rule, cap_daily_minor: 500n }
    const over = previewModel(capped, 2, '1000')
    expect(over.kind === 'quote' && over.capNote).toContain('over the daily cap of $5.00')
  })
})

describe('the history', () => {
  const at = new Date('2026-11-29T09:30:00Z')
  const version = (n: number, f: RuleFields, by: string | null): Rule => ({
    ...f,
    provider_id: 'p',
    livemode: false,
    version: n,
    created_at: at,
    created_by: by,
  })

  test('says what each version changed, newest first', () => {
    const v1 = version(1, DEFAULT_RULE, null)
    const v2 = version(2, fields({ points: '1', cash: '0.01', step_points: '10' }), 'a@example.com')
    const v3 = version(3, { ...v2, rate_points: 100n, rate_cash_minor: 150n }, 'a@example.com')
    const v4 = version(4, { ...v3, rate_cash_minor: 175n, fee_payer: 'customer' }, 'key')
    const history = historyModel([v4, v3, v2, v1], 'Australia/Sydney')
    expect(history.map((h) => [h.version, h.who, h.current])).toEqual([
      [4, 'key', true],
      [3, 'a@example.com', false],
      [2, 'a@example.com', false],
      [1, '—', false],
    ])
    expect(history[0]?.when).toBe('29 Nov 2026, 8:30 pm AEDT')
    expect(history[0]?.changes).toEqual([
      'Cash per 100 points: $1.50 → $1.75',
      'Fee paid by: you (the float) → the customer',
    ])
    expect(history[1]?.changes).toEqual(['Rate: 1 point gives $0.01 → 100 points give $1.50'])
    expect(history[2]?.changes).toEqual(['Points in steps of: 1 → 10'])
    expect(history[3]?.changes).toEqual([
      'First version: 1 point gives $0.01, no fee, links last 7 days.',
    ])
  })
})
