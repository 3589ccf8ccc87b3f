import { describe, expect } from 'vitest'
import { sweepExpiredClaims } from '../../src/claims/expire.ts'
import type { ManualClock } from '../../src/clock.ts'
import { balance, call, expectError, fundedProvider, generate } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const HOUR = 3600_000

describe('cancelling a claim', () => {
  test('releases its cash and records claim.cancelled', async ({ harness, db }) => {
    const p = await fundedProvider(harness.app, 5000)
    const claim = (await generate(harness.app, p, { amount: 2000, id: 'c' })).body
    const reply = await call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, {
      key: p.key,
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({
      status: 'cancelled',
      status_reason: 'Cancelled by the provider.',
    })
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 5000,
      reserved_minor: 0,
    })
    const events = await db
      .selectFrom('events')
      .select(['type', 'sequence'])
      .where('claim_id', '=', claim.uuid)
      .orderBy('sequence')
      .execute()
    expect(events).toEqual([
      { type: 'claim.created', sequence: 1 },
      { type: 'claim.cancelled', sequence: 2 },
    ])
  })

  test('twice is refused the second time and releases once', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 5000)
    const claim = (await generate(harness.app, p, { amount: 2000, id: 'c' })).body
    await call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, { key: p.key })
    const again = await call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, {
      key: p.key,
    })
    expectError(again, 409, 'claim_not_open')
    expect(again.body.message).toContain('cancelled')
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 5000,
      reserved_minor: 0,
    })
  })

  test('is refused for an unknown claim or another provider’s', async ({ harness }) => {
    const a = await fundedProvider(harness.app)
    const b = await fundedProvider(harness.app)
    const claim = (await generate(harness.app, a, { amount: 100, id: 'c' })).body
    expectError(
      await call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, { key: b.key }),
      404,
      'not_found',
    )
    expectError(
      await call(harness.app, 'POST', `/cashout/claims/${crypto.randomUUID()}/cancel`, {
        key: a.key,
      }),
      404,
      'not_found',
    )
    expectError(
      await call(harness.app, 'POST', '/cashout/claims/not-a-uuid/cancel', { key: a.key }),
      422,
      'validation_failed',
    )
    expect(
      (await call(harness.app, 'GET', `/cashout/claims/${claim.uuid}`, { key: a.key })).body.status,
    ).toBe('open')
  })

  test('of a claim past its expiry expires it instead', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 1000)
    const claim = (await generate(harness.app, p, { amount: 100, id: 'late', expires_in: 3600 }))
      .body
    ;(harness.deps.clock as ManualClock).advance(HOUR)
    const reply = await call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, {
      key: p.key,
    })
    expectError(reply, 409, 'claim_not_open')
    expect(reply.body.message).toContain('expired')
    const read = await call(harness.app, 'GET', `/cashout/claims/${claim.uuid}`, { key: p.key })
    expect(read.body.status).toBe('expired')
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 1000,
      reserved_minor: 0,
    })
  })
})

describe('expiry', () => {
  test('the sweep expires due claims once and releases their cash', async ({ harness, db }) => {
    const p = await fundedProvider(harness.app, 10_000)
    const clock = harness.deps.clock as ManualClock
    const short = (await generate(harness.app, p, { amount: 1000, id: 's', expires_in: 3600 })).body
    const long = (await generate(harness.app, p, { amount: 2000, id: 'l', expires_in: 7200 })).body

    clock.advance(HOUR - 1)
    expect(await sweepExpiredClaims({ deps: harness.deps })).toBe(0)
    clock.advance(1)
    expect(await sweepExpiredClaims({ deps: harness.deps })).toBe(1)
    expect(await sweepExpiredClaims({ deps: harness.deps })).toBe(0)
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 8000,
      reserved_minor: 2000,
    })

    const rows = await db.selectFrom('claims').select(['id', 'status']).orderBy('points').execute()
    expect(rows).toEqual([
      { id: short.uuid, status: 'expired' },
      { id: long.uuid, status: 'open' },
    ])
    const expiredEvents = await db
      .selectFrom('events')
      .select('claim_id')
      .where('type', '=', 'claim.expired')
      .execute()
    expect(expiredEvents).toEqual([{ claim_id: short.uuid }])
  })

  test('sweeps in batches until none are due', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 100_000)
    for (let i = 0; i < 7; i++)
      await generate(harness.app, p, { amount: 10, id: `b${i}`, expires_in: 300 })
    ;(harness.deps.clock as ManualClock).advance(300_000)
    expect(await sweepExpiredClaims({ deps: harness.deps, batchSize: 3 })).toBe(7)
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 100_000,
      reserved_minor: 0,
    })
  })

  test('reading a due claim expires it on the spot', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 1000)
    const claim = (await generate(harness.app, p, { amount: 100, id: 'r', expires_in: 300 })).body
    ;(harness.deps.clock as ManualClock).advance(300_000)
    const read = await call(harness.app, 'GET', `/cashout/claims/${claim.uuid}`, { key: p.key })
    expect(read.body).toMatchObject({
      status: 'expired',
      status_reason: expect.stringContaining('expired'),
    })
    expect(await balance(harness.app, p)).toMatchObject({ available_minor: 1000 })
  })
})

describe('GET /cashout/claims', () => {
  test('pages newest first with a cursor and filters', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 100_000)
    const other = await fundedProvider(harness.app, 100_000)
    const clock = harness.deps.clock as ManualClock
    const made: string[] = []
    for (let i = 0; i < 5; i++) {
      clock.advance(1000)
      made.push(
        (
          await generate(harness.app, p, {
            amount: 10 + i,
            id: `p${i}`,
            customer_id: i % 2 ? 'odd' : 'even',
          })
        ).body.uuid,
      )
    }
    await generate(harness.app, other, { amount: 10, id: 'theirs' })
    await call(harness.app, 'POST', `/cashout/claims/${made[1]}/cancel`, { key: p.key })

    const first = await call(harness.app, 'GET', '/cashout/claims?limit=2', { key: p.key })
    expect(first.body.claims.map((c: { uuid: string }) => c.uuid)).toEqual([made[4], made[3]])
    const second = await call(
      harness.app,
      'GET',
      `/cashout/claims?limit=2&cursor=${first.body.next_cursor}`,
      { key: p.key },
    )
    expect(second.body.claims.map((c: { uuid: string }) => c.uuid)).toEqual([made[2], made[1]])
    const third = await call(
      harness.app,
      'GET',
      `/cashout/claims?limit=2&cursor=${second.body.next_cursor}`,
      { key: p.key },
    )
    expect(third.body.claims.map((c: { uuid: string }) => c.uuid)).toEqual([made[0]])
    expect(third.body.next_cursor).toBeNull()

    const cancelled = await call(harness.app, 'GET', '/cashout/claims?status=cancelled', {
      key: p.key,
    })
    expect(cancelled.body.claims.map((c: { uuid: string }) => c.uuid)).toEqual([made[1]])
    const odd = await call(harness.app, 'GET', '/cashout/claims?customer_id=odd', { key: p.key })
    expect(odd.body.claims.map((c: { uuid: string }) => c.uuid)).toEqual([made[3], made[1]])
    const window = await call(
      harness.app,
      'GET',
      '/cashout/claims?created_after=2026-03-01T00:00:02Z&created_before=2026-03-01T00:00:04Z',
      { key: p.key },
    )
    expect(window.body.claims.map((c: { uuid: string }) => c.uuid)).toEqual([made[2], made[1]])
  })

  test.for([
    ['limit=0'],
    ['limit=101'],
    ['limit=ten'],
    ['status=paid'],
    ['created_after=yesterday'],
    ['cursor=not-a-cursor'],
    [`cursor=${btoa(JSON.stringify([-8640000000000000, crypto.randomUUID()]))}`],
    [`cursor=${btoa(JSON.stringify(['-010000-01-01T00:00:00.000Z', crypto.randomUUID()]))}`],
    [`cursor=${btoa(JSON.stringify(['2026-01-01T00:00:00.000Z', 'not-a-uuid']))}`],
  ])('refuses %s with a 422', async ([query], { harness }) => {
    const p = await fundedProvider(harness.app)
    expectError(
      await call(harness.app, 'GET', `/cashout/claims?${query}`, { key: p.key }),
      422,
      'validation_failed',
    )
  })

  test('shows only the caller’s claims', async ({ harness }) => {
    const a = await fundedProvider(harness.app)
    const b = await fundedProvider(harness.app)
    const claim = (await generate(harness.app, a, { amount: 10, id: 'mine' })).body
    expect((await call(harness.app, 'GET', '/cashout/claims', { key: b.key })).body.claims).toEqual(
      [],
    )
    expectError(
      await call(harness.app, 'GET', `/cashout/claims/${claim.uuid}`, { key: b.key }),
      404,
      'not_found',
    )
  })
})
