import { describe, expect } from 'vitest'
import { call, expectError, fundedProvider, generate, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const rule = {
  rate: { points: 100, cash_minor: 5 },
  min_points: 100,
  max_points: 1_000_000,
  step_points: 100,
  fee: { fixed_minor: 20, bps: 150, payer: 'customer' },
  caps: { daily_minor: 5000, thirty_day_minor: 20000 },
  claim_lifetime_seconds: 3600,
}

describe('conversion rules', () => {
  test('every PUT makes a new version and older versions stay readable', async ({ harness }) => {
    const p = await registerProvider(harness.app)
    const put = await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: rule })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ version: 2, ...rule, currency: 'AUD' })

    const current = await call(harness.app, 'GET', '/cashout/rules', { key: p.key })
    expect(current.body.version).toBe(2)
    const v1 = await call(harness.app, 'GET', '/cashout/rules/versions/1', { key: p.key })
    expect(v1.body).toMatchObject({ version: 1, rate: { points: 1, cash_minor: 1 } })
    const all = await call(harness.app, 'GET', '/cashout/rules/versions', { key: p.key })
    expect(all.body.rules.map((r: { version: number }) => r.version)).toEqual([2, 1])
    expectError(
      await call(harness.app, 'GET', '/cashout/rules/versions/3', { key: p.key }),
      404,
      'not_found',
    )
  })

  test('fills omitted optional fields with their defaults', async ({ harness }) => {
    const p = await registerProvider(harness.app)
    const put = await call(harness.app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: { rate: { points: 10, cash_minor: 1 } },
    })
    expect(put.body).toMatchObject({
      min_points: 1,
      max_points: null,
      step_points: 1,
      fee: { fixed_minor: 0, bps: 0, payer: 'provider' },
      caps: { daily_minor: null, thirty_day_minor: null },
      claim_lifetime_seconds: 604800,
      expiry_reminder_seconds: null,
    })
  })

  test('an expiry reminder is kept with its version, and null when left out', async ({
    harness,
  }) => {
    const p = await registerProvider(harness.app)
    const put = await call(harness.app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: { ...rule, expiry_reminder_seconds: 600 },
    })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({ version: 2, expiry_reminder_seconds: 600 })
    const current = await call(harness.app, 'GET', '/cashout/rules', { key: p.key })
    expect(current.body).toMatchObject({ version: 2, expiry_reminder_seconds: 600 })
    await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: rule })
    const all = await call(harness.app, 'GET', '/cashout/rules/versions', { key: p.key })
    expect(
      all.body.rules.map((r: { version: number; expiry_reminder_seconds: number | null }) => [
        r.version,
        r.expiry_reminder_seconds,
      ]),
    ).toEqual([
      [3, null],
      [2, 600],
      [1, null],
    ])
    const tooLong = await call(harness.app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: { ...rule, claim_lifetime_seconds: 600, expiry_reminder_seconds: 600 },
    })
    expectError(tooLong, 422, 'validation_failed')
    expect(tooLong.body.details).toEqual([
      {
        field: 'expiry_reminder_seconds',
        message:
          'Must be less than claim_lifetime_seconds: a reminder that long before expiry would come before the claim was made.',
      },
    ])
  })

  test.for([
    ['no rate', { ...rule, rate: undefined }, 'rate'],
    ['a zero rate', { ...rule, rate: { points: 0, cash_minor: 1 } }, 'rate.points'],
    ['a fractional rate', { ...rule, rate: { points: 1.5, cash_minor: 1 } }, 'rate.points'],
    ['a rate as strings', { ...rule, rate: { points: '1', cash_minor: '1' } }, 'rate.points'],
    ['max below min', { ...rule, min_points: 500, max_points: 100 }, 'max_points'],
    ['a negative fee', { ...rule, fee: { ...rule.fee, fixed_minor: -1 } }, 'fee.fixed_minor'],
    ['more than 100% in bps', { ...rule, fee: { ...rule.fee, bps: 10001 } }, 'fee.bps'],
    ['an unknown fee payer', { ...rule, fee: { ...rule.fee, payer: 'bank' } }, 'fee.payer'],
    ['a currency other than AUD', { ...rule, currency: 'USD' }, 'currency'],
    [
      'a zero cap',
      { ...rule, caps: { daily_minor: 0, thirty_day_minor: null } },
      'caps.daily_minor',
    ],
    [
      'a lifetime under 5 minutes',
      { ...rule, claim_lifetime_seconds: 60 },
      'claim_lifetime_seconds',
    ],
    [
      'a lifetime over 30 days',
      { ...rule, claim_lifetime_seconds: 2_592_001 },
      'claim_lifetime_seconds',
    ],
    ['a step of zero', { ...rule, step_points: 0 }, 'step_points'],
    [
      'a reminder under a minute',
      { ...rule, expiry_reminder_seconds: 59 },
      'expiry_reminder_seconds',
    ],
    [
      'a reminder as long as the claim lifetime',
      { ...rule, expiry_reminder_seconds: 3600 },
      'expiry_reminder_seconds',
    ],
    [
      'a fractional reminder',
      { ...rule, expiry_reminder_seconds: 90.5 },
      'expiry_reminder_seconds',
    ],
    [
      'a reminder as a string',
      { ...rule, expiry_reminder_seconds: '600' },
      'expiry_reminder_seconds',
    ],
    ['a min past the exact integer range', { ...rule, min_points: 2 ** 53 }, 'min_points'],
  ] as [string, Record<string, unknown>, string][])(
    'refuses %s and keeps the current version',
    async ([, body, field], { harness }) => {
      const p = await registerProvider(harness.app)
      const reply = await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body })
      expectError(reply, 422, 'validation_failed')
      expect(reply.body.details.map((d: { field: string }) => d.field)).toContain(field)
      expect((await call(harness.app, 'GET', '/cashout/rules', { key: p.key })).body.version).toBe(
        1,
      )
    },
  )

  test('a claim keeps the quote and rule version it was made with', async ({ harness }) => {
    const p = await fundedProvider(harness.app)
    const before = await generate(harness.app, p, { amount: 1000, id: 'kept' })
    expect(before.body.quote).toMatchObject({ rule_version: 1, net_minor: 1000 })
    await call(harness.app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: { rate: { points: 10, cash_minor: 1 } },
    })
    const read = await call(harness.app, 'GET', `/cashout/claims/${before.body.uuid}`, {
      key: p.key,
    })
    expect(read.body.quote).toEqual(before.body.quote)
    const after = await generate(harness.app, p, { amount: 1000, id: 'new' })
    expect(after.body.quote).toMatchObject({ rule_version: 2, net_minor: 100 })
  })
})

describe('POST /cashout/quote', () => {
  test('gives the full breakdown and creates nothing', async ({ harness, db }) => {
    const p = await fundedProvider(harness.app)
    await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: rule })
    const reply = await call(harness.app, 'POST', '/cashout/quote', {
      key: p.key,
      body: { points: 40_000 },
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      points: 40_000,
      currency: 'AUD',
      gross_minor: 2000,
      fee_minor: 50,
      fee_payer: 'customer',
      net_minor: 1950,
      float_debit_minor: 2000,
      rule_version: 2,
      caps: {
        daily: { limit_minor: 5000, used_minor: null, remaining_minor: null },
        thirty_day: { limit_minor: 20000, used_minor: null, remaining_minor: null },
      },
    })
    const claims = await db.selectFrom('claims').select('id').execute()
    expect(claims).toEqual([])
  })

  test('shows what is left of a customer’s caps', async ({ harness }) => {
    const p = await fundedProvider(harness.app)
    await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: rule })
    await generate(harness.app, p, { amount: 40_000, id: 'c1-a', customer_id: 'c1' })
    const reply = await call(harness.app, 'POST', '/cashout/quote', {
      key: p.key,
      body: { points: 1000, customer_id: 'c1' },
    })
    expect(reply.body.caps).toEqual({
      daily: { limit_minor: 5000, used_minor: 1950, remaining_minor: 3050 },
      thirty_day: { limit_minor: 20000, used_minor: 1950, remaining_minor: 18050 },
    })
  })

  test.for([
    ['below the minimum', 50, 'amount_out_of_range'],
    ['above the maximum', 1_000_100, 'amount_out_of_range'],
    ['between steps', 150, 'amount_not_in_steps'],
    ['eaten by the fee', 400, 'amount_too_small'],
  ] as [string, number, string][])('refuses points %s', async ([, points, code], { harness }) => {
    const p = await registerProvider(harness.app)
    await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: rule })
    const reply = await call(harness.app, 'POST', '/cashout/quote', {
      key: p.key,
      body: { points },
    })
    expectError(reply, 422, code)
  })
})
