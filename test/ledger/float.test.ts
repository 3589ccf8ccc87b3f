import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { buildTestApp, LIVE_ENV, OPERATOR_TOKEN } from '../support/app.ts'
import { balance, call, expectError, liveOf, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const creditPath = (name: string) => `/operator/providers/${name}/credit`

describe('operator credits', () => {
  test('fund a float, idempotently on the reference', async ({ harness }) => {
    const p = await registerProvider(harness.app)
    const body = { livemode: false, amount_minor: 50_000, reference: 'wire-1' }
    const first = await call(harness.app, 'POST', creditPath(p.name), { key: OPERATOR_TOKEN, body })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ livemode: false, amount_minor: 50_000, replayed: false })
    expect(first.body.balance).toMatchObject({ available_minor: 50_000, credited_minor: 50_000 })

    const again = await call(harness.app, 'POST', creditPath(p.name), { key: OPERATOR_TOKEN, body })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ transfer_id: first.body.transfer_id, replayed: true })
    expect(await balance(harness.app, p)).toMatchObject({ available_minor: 50_000 })

    const conflict = await call(harness.app, 'POST', creditPath(p.name), {
      key: OPERATOR_TOKEN,
      body: { livemode: false, amount_minor: 60_000, reference: 'wire-1' },
    })
    expectError(conflict, 409, 'idempotency_conflict')
    expect(await balance(harness.app, p)).toMatchObject({ available_minor: 50_000 })
  })

  test('a float cannot grow past the exact JSON integer range', async ({ harness }) => {
    const p = await registerProvider(harness.app)
    const max = Number.MAX_SAFE_INTEGER
    const first = await call(harness.app, 'POST', creditPath(p.name), {
      key: OPERATOR_TOKEN,
      body: { livemode: false, amount_minor: max, reference: 'big-1' },
    })
    expect(first.status).toBe(200)
    const second = await call(harness.app, 'POST', creditPath(p.name), {
      key: OPERATOR_TOKEN,
      body: { livemode: false, amount_minor: 1, reference: 'big-2' },
    })
    expectError(second, 422, 'amount_too_large')
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: max,
      credited_minor: max,
    })
  })

  test('a reference is per provider', async ({ harness }) => {
    const a = await registerProvider(harness.app)
    const b = await registerProvider(harness.app)
    const body = { livemode: false, amount_minor: 100, reference: 'same' }
    expect(
      (await call(harness.app, 'POST', creditPath(a.name), { key: OPERATOR_TOKEN, body })).status,
    ).toBe(200)
    expect(
      (await call(harness.app, 'POST', creditPath(b.name), { key: OPERATOR_TOKEN, body })).status,
    ).toBe(200)
    expect(await balance(harness.app, b)).toMatchObject({ available_minor: 100 })
  })

  test('needs the operator token; a provider key is not one', async ({ harness }) => {
    const p = await registerProvider(harness.app)
    const body = { livemode: false, amount_minor: 100, reference: 'r' }
    expectError(await call(harness.app, 'POST', creditPath(p.name), { body }), 401, 'unauthorized')
    expectError(
      await call(harness.app, 'POST', creditPath(p.name), { body, key: p.key }),
      401,
      'unauthorized',
    )
    expect(await balance(harness.app, p)).toMatchObject({ available_minor: 0 })
  })

  test('is closed when no operator token is configured', async ({ db }) => {
    const { app } = buildTestApp(db, { env: { OPERATOR_TOKEN: '' } })
    const p = await registerProvider(app)
    const reply = await call(app, 'POST', creditPath(p.name), {
      key: OPERATOR_TOKEN,
      body: { livemode: false, amount_minor: 100, reference: 'r' },
    })
    expectError(reply, 401, 'unauthorized')
    expect(reply.body.message).toContain('OPERATOR_TOKEN')
  })

  test.for([
    [
      'an unknown provider',
      'no-such-provider',
      { livemode: false, amount_minor: 1, reference: 'r' },
      404,
      'not_found',
    ],
    [
      'a zero amount',
      null,
      { livemode: false, amount_minor: 0, reference: 'r' },
      422,
      'validation_failed',
    ],
    [
      'a fractional amount',
      null,
      { livemode: false, amount_minor: 1.5, reference: 'r' },
      422,
      'validation_failed',
    ],
    [
      'an amount as a string',
      null,
      { livemode: false, amount_minor: '100', reference: 'r' },
      422,
      'validation_failed',
    ],
    [
      'an unsafe integer',
      null,
      { livemode: false, amount_minor: 2 ** 60, reference: 'r' },
      422,
      'validation_failed',
    ],
    ['no reference', null, { livemode: false, amount_minor: 100 }, 422, 'validation_failed'],
    ['no mode', null, { amount_minor: 100, reference: 'r' }, 422, 'validation_failed'],
  ] as [string, string | null, Record<string, unknown>, number, string][])(
    'refuses %s',
    async ([, name, body, status, code], { harness }) => {
      const p = await registerProvider(harness.app)
      const reply = await call(harness.app, 'POST', creditPath(name ?? p.name), {
        key: OPERATOR_TOKEN,
        body,
      })
      expectError(reply, status, code)
      expect(await balance(harness.app, p)).toMatchObject({ available_minor: 0 })
    },
  )
})

describe('test and live floats', () => {
  test('the operator funds each mode’s float on its own; references are per mode', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await registerProvider(app)
    const live = liveOf(p)
    const body = { amount_minor: 700, reference: 'wire-1' }
    const credited = await call(app, 'POST', creditPath(p.name), {
      key: OPERATOR_TOKEN,
      body: { ...body, livemode: true },
    })
    expect(credited.body).toMatchObject({ livemode: true, balance: { livemode: true } })
    expect(await balance(app, live)).toMatchObject({ livemode: true, available_minor: 700 })
    expect(await balance(app, p)).toMatchObject({ livemode: false, available_minor: 0 })
    const test = await call(app, 'POST', creditPath(p.name), {
      key: OPERATOR_TOKEN,
      body: { ...body, amount_minor: 300, livemode: false },
    })
    expect(test.body).toMatchObject({ replayed: false, livemode: false })
    expect(await balance(app, p)).toMatchObject({ available_minor: 300 })
    expect(await balance(app, live)).toMatchObject({ available_minor: 700 })
  })

  test('a test key tops up its own test float; a live key cannot fund anything', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await registerProvider(app)
    const fund = (key: string, body: Record<string, unknown>) =>
      call(app, 'POST', '/cashout/test/fund', { key, body })
    const first = await fund(p.key, { amount_minor: 5_000, reference: 'play-1' })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ livemode: false, replayed: false })
    expect((await fund(p.key, { amount_minor: 5_000, reference: 'play-1' })).body.replayed).toBe(
      true,
    )
    expect((await fund(p.key, { amount_minor: 1 })).status).toBe(200)
    expect(await balance(app, p)).toMatchObject({ available_minor: 5_001, credited_minor: 5_001 })
    expectError(await fund(p.key, { amount_minor: 100_000_001 }), 422, 'validation_failed')
    expectError(await fund(liveOf(p).key, { amount_minor: 5_000 }), 403, 'test_mode_only')
    expect(await balance(app, liveOf(p))).toMatchObject({ available_minor: 0 })
  })
})

describe('ledger invariants held by the database', () => {
  test('an available balance cannot go negative, even by direct SQL', async ({ harness, db }) => {
    const p = await registerProvider(harness.app)
    const update = sql`update ledger_accounts set balance = -1 where kind = 'available'
      and provider_id = (select id from providers where name = ${p.name})`
    await expect(update.execute(db)).rejects.toThrow(/check constraint/)
  })

  test('transfers cannot be changed or deleted', async ({ harness, db }) => {
    const p = await registerProvider(harness.app)
    await call(harness.app, 'POST', creditPath(p.name), {
      key: OPERATOR_TOKEN,
      body: { livemode: false, amount_minor: 100, reference: 'r' },
    })
    await expect(sql`update ledger_transfers set amount_minor = 1`.execute(db)).rejects.toThrow(
      /immutable/,
    )
    await expect(sql`delete from ledger_transfers`.execute(db)).rejects.toThrow(/immutable/)
  })
})
