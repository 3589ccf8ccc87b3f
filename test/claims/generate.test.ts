import { describe, expect } from 'vitest'
import type { ManualClock } from '../../src/clock.ts'
import {
  balance,
  call,
  credit,
  expectError,
  fundedProvider,
  generate,
  registerProvider,
} from '../support/client.ts'
import { test } from '../support/fixtures.ts'

describe('POST /cashout/generate/:name', () => {
  test('creates a claim with its link, quote and expiry, and reserves the cash', async ({
    harness,
  }) => {
    const p = await fundedProvider(harness.app, 10_000)
    const reply = await generate(harness.app, p, {
      amount: 2500,
      id: 'order-1',
      customer_id: 'cus-9',
    })
    expect(reply.status).toBe(200)
    const uuid = reply.body.uuid
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(reply.body).toMatchObject({
      result: uuid,
      id: 'order-1',
      status: 'open',
      customer_id: 'cus-9',
      url: `http://cashout.test/c/${uuid}`,
      quote: {
        points: 2500,
        currency: 'AUD',
        gross_minor: 2500,
        fee_minor: 0,
        net_minor: 2500,
        float_debit_minor: 2500,
        rule_version: 1,
      },
      created_at: '2026-03-01T00:00:00.000Z',
      expires_at: '2026-03-08T00:00:00.000Z',
    })
    expect(reply.headers.get('idempotent-replayed')).toBeNull()
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 7500,
      reserved_minor: 2500,
    })
  })

  test('the same id and body return the same claim and reserve once', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 10_000)
    const body = { amount: 1000, id: 'same', expires_in: 600 }
    const first = await generate(harness.app, p, body)
    const second = await generate(harness.app, p, body)
    expect(second.status).toBe(200)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(second.body).toEqual(first.body)
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 9000,
      reserved_minor: 1000,
    })
  })

  test.for([
    ['another amount', { amount: 1001, id: 'same' }],
    ['another customer', { amount: 1000, id: 'same', customer_id: 'x' }],
    ['another lifetime', { amount: 1000, id: 'same', expires_in: 900 }],
  ] as [string, Record<string, unknown>][])(
    'the same id with %s is a 409 that changes nothing',
    async ([, body], { harness }) => {
      const p = await fundedProvider(harness.app, 10_000)
      const first = await generate(harness.app, p, { amount: 1000, id: 'same' })
      const clash = await generate(harness.app, p, body)
      expectError(clash, 409, 'idempotency_conflict')
      const read = await call(harness.app, 'GET', `/cashout/claims/${first.body.uuid}`, {
        key: p.key,
      })
      expect(read.body).toEqual({ ...first.body, result: undefined })
      expect(await balance(harness.app, p)).toMatchObject({
        available_minor: 9000,
        reserved_minor: 1000,
      })
    },
  )

  test('different providers may use the same id', async ({ harness }) => {
    const a = await fundedProvider(harness.app, 1000)
    const b = await fundedProvider(harness.app, 1000)
    const x = await generate(harness.app, a, { amount: 100, id: 'shared-ref' })
    const y = await generate(harness.app, b, { amount: 100, id: 'shared-ref' })
    expect(x.status).toBe(200)
    expect(y.status).toBe(200)
    expect(x.body.uuid).not.toBe(y.body.uuid)
  })

  test('a short float is refused with insufficient_float and nothing is created', async ({
    harness,
    db,
  }) => {
    const p = await fundedProvider(harness.app, 999)
    const reply = await generate(harness.app, p, { amount: 1000, id: 'too-much' })
    expectError(reply, 409, 'insufficient_float')
    expect(await balance(harness.app, p)).toMatchObject({ available_minor: 999, reserved_minor: 0 })
    expect(await db.selectFrom('claims').select('id').execute()).toEqual([])
    expect(await db.selectFrom('events').select('id').execute()).toEqual([])

    await credit(harness.app, p.name, 1)
    const retried = await generate(harness.app, p, { amount: 1000, id: 'too-much' })
    expect(retried.status).toBe(200)
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 0,
      reserved_minor: 1000,
    })
  })

  test('a provider-paid fee is reserved on top of the payout', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 10_000)
    await call(harness.app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: {
        rate: { points: 1, cash_minor: 1 },
        fee: { fixed_minor: 30, bps: 200, payer: 'provider' },
      },
    })
    const reply = await generate(harness.app, p, { amount: 1000, id: 'fee' })
    expect(reply.body.quote).toMatchObject({
      net_minor: 1000,
      fee_minor: 50,
      float_debit_minor: 1050,
    })
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 8950,
      reserved_minor: 1050,
    })
  })

  test('expires_in overrides the rule’s lifetime', async ({ harness }) => {
    const p = await fundedProvider(harness.app)
    const reply = await generate(harness.app, p, { amount: 10, id: 'short', expires_in: 300 })
    expect(reply.body.expires_at).toBe('2026-03-01T00:05:00.000Z')
  })

  describe('per-customer caps', () => {
    const capped = {
      rate: { points: 1, cash_minor: 1 },
      caps: { daily_minor: 1000, thirty_day_minor: 1500 },
    }

    test('need a customer id', async ({ harness }) => {
      const p = await fundedProvider(harness.app)
      await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: capped })
      const reply = await generate(harness.app, p, { amount: 10, id: 'anon' })
      expectError(reply, 422, 'validation_failed')
      expect(reply.body.details).toEqual([{ field: 'customer_id', message: expect.any(String) }])
    })

    test('refuse a claim over the daily or 30-day cap, and count cancelled claims out', async ({
      harness,
    }) => {
      const p = await fundedProvider(harness.app)
      await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: capped })
      const first = await generate(harness.app, p, { amount: 800, id: 'a', customer_id: 'c' })
      expect(first.status).toBe(200)
      expectError(
        await generate(harness.app, p, { amount: 201, id: 'b', customer_id: 'c' }),
        422,
        'cap_exceeded',
      )
      expect(
        (await generate(harness.app, p, { amount: 200, id: 'c', customer_id: 'c' })).status,
      ).toBe(200)
      expect(
        (await generate(harness.app, p, { amount: 500, id: 'd', customer_id: 'other' })).status,
      ).toBe(200)

      await call(harness.app, 'POST', `/cashout/claims/${first.body.uuid}/cancel`, { key: p.key })
      expect(
        (await generate(harness.app, p, { amount: 800, id: 'e', customer_id: 'c' })).status,
      ).toBe(200)
    })

    test('the 30-day cap spans days', async ({ harness }) => {
      const p = await fundedProvider(harness.app)
      await call(harness.app, 'PUT', '/cashout/rules', { key: p.key, body: capped })
      const clock = harness.deps.clock as ManualClock
      expect(
        (await generate(harness.app, p, { amount: 1000, id: 'd1', customer_id: 'c' })).status,
      ).toBe(200)
      clock.advance(2 * 24 * 3600_000)
      expect(
        (await generate(harness.app, p, { amount: 500, id: 'd3', customer_id: 'c' })).status,
      ).toBe(200)
      expectError(
        await generate(harness.app, p, { amount: 1, id: 'd3b', customer_id: 'c' }),
        422,
        'cap_exceeded',
      )
      clock.advance(29 * 24 * 3600_000)
      expect(
        (await generate(harness.app, p, { amount: 1000, id: 'd32', customer_id: 'c' })).status,
      ).toBe(200)
    })
  })

  test.for([
    ['no body', undefined, 422, 'validation_failed'],
    ['amount zero', { amount: 0, id: 'x' }, 422, 'validation_failed'],
    ['a negative amount', { amount: -5, id: 'x' }, 422, 'validation_failed'],
    ['a fractional amount', { amount: 2.5, id: 'x' }, 422, 'validation_failed'],
    ['an amount as a string', { amount: '100', id: 'x' }, 422, 'validation_failed'],
    ['an amount past 2^53', { amount: 2 ** 53 + 2, id: 'x' }, 422, 'validation_failed'],
    ['an empty id', { amount: 1, id: '' }, 422, 'validation_failed'],
    ['a numeric id', { amount: 1, id: 5 }, 422, 'validation_failed'],
    ['an id with a newline', { amount: 1, id: 'a\nb' }, 422, 'validation_failed'],
    ['an id of 201 characters', { amount: 1, id: 'x'.repeat(201) }, 422, 'validation_failed'],
    [
      'expires_in under 5 minutes',
      { amount: 1, id: 'x', expires_in: 299 },
      422,
      'validation_failed',
    ],
    [
      'expires_in over 30 days',
      { amount: 1, id: 'x', expires_in: 2_592_001 },
      422,
      'validation_failed',
    ],
    ['null fields', { amount: null, id: null }, 422, 'validation_failed'],
  ] as [string, unknown, number, string][])(
    'refuses %s',
    async ([, body, status, code], { harness }) => {
      const p = await fundedProvider(harness.app, 1000)
      const reply = await call(harness.app, 'POST', `/cashout/generate/${p.name}`, {
        key: p.key,
        ...(body === undefined ? {} : { body }),
      })
      expectError(reply, status, code)
      expect(await balance(harness.app, p)).toMatchObject({
        available_minor: 1000,
        reserved_minor: 0,
      })
    },
  )

  test('an amount the rule cannot price is refused with the rule’s reason', async ({ harness }) => {
    const p = await fundedProvider(harness.app)
    await call(harness.app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: {
        rate: { points: 1, cash_minor: 1 },
        min_points: 100,
        max_points: 500,
        step_points: 50,
      },
    })
    expectError(await generate(harness.app, p, { amount: 50, id: 'a' }), 422, 'amount_out_of_range')
    expectError(
      await generate(harness.app, p, { amount: 550, id: 'b' }),
      422,
      'amount_out_of_range',
    )
    expectError(
      await generate(harness.app, p, { amount: 120, id: 'c' }),
      422,
      'amount_not_in_steps',
    )
  })

  test('writes claim.created with sequence 1 in the same transaction', async ({ harness, db }) => {
    const p = await fundedProvider(harness.app)
    const reply = await generate(harness.app, p, { amount: 100, id: 'evt' })
    const events = await db
      .selectFrom('events')
      .selectAll()
      .where('claim_id', '=', reply.body.uuid)
      .execute()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'claim.created', sequence: 1 })
    expect(events[0]?.data).toMatchObject({
      uuid: reply.body.uuid,
      id: 'evt',
      status: 'open',
      net_minor: 100,
    })
  })

  test('a provider with no float yet gets insufficient_float, not an error', async ({
    harness,
  }) => {
    const p = await registerProvider(harness.app)
    expectError(await generate(harness.app, p, { amount: 1, id: 'x' }), 409, 'insufficient_float')
  })
})
