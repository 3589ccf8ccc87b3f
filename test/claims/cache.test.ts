import { describe, expect } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import { providerCache } from '../../src/providers/cache.ts'
import { buildTestApp, OPERATOR_TOKEN } from '../support/app.ts'
import { call, expectError, fundedProvider, generate } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

/**
 * Two instances of Cashout over one database, each with its own cache of keys and rules, as two
 * processes would be. What one instance changes, the other's generate sees at once (its write
 * checks what its cache knew); its other routes within the cache's lifetime.
 */
function twoInstances(db: Db) {
  let clockMs = 0
  const cacheOfB = providerCache({ ttlMs: 5_000, now: () => clockMs })
  return {
    a: buildTestApp(db).app,
    b: buildTestApp(db, { cache: cacheOfB }).app,
    /** Moves instance B's cache clock on. */
    later: (ms: number) => {
      clockMs += ms
    },
  }
}

describe('the provider cache across instances', () => {
  test('a key revoked on one instance cannot generate on another, at once', async ({ db }) => {
    const { a, b, later } = twoInstances(db)
    const p = await fundedProvider(a)
    const second = await call(a, 'POST', '/cashout/keys', { key: p.key, body: {} })
    expect(second.status).toBe(201)
    // B knows the key from its first use.
    expect((await generate(b, p, { amount: 100, id: 'before' })).status).toBe(200)
    expect(
      (await call(a, 'DELETE', `/cashout/keys/${p.keyId}`, { key: second.body.key })).status,
    ).toBe(200)

    expectError(await generate(a, p, { amount: 100, id: 'on-a' }), 401, 'unauthorized')
    const onB = await generate(b, p, { amount: 100, id: 'on-b' })
    expectError(onB, 401, 'unauthorized')
    expect(onB.body.message).toMatch(/revoked/)
    const made = await db.selectFrom('claims').select('provider_ref').execute()
    expect(made.map((c) => c.provider_ref)).toEqual(['before'])

    // B's other routes know within the cache's lifetime.
    later(5_001)
    expectError(await call(b, 'GET', '/cashout/claims', { key: p.key }), 401, 'unauthorized')
  })

  test('a new rule set on one instance prices the next claim on another', async ({ db }) => {
    const { a, b } = twoInstances(db)
    const p = await fundedProvider(a)
    const first = await generate(b, p, { amount: 1000, id: 'v1' })
    expect(first.body.quote).toMatchObject({ rule_version: 1, net_minor: 1000 })
    const put = await call(a, 'PUT', '/cashout/rules', {
      key: p.key,
      body: { rate: { points: 1, cash_minor: 2 } },
    })
    expect(put.status).toBe(200)
    const next = await generate(b, p, { amount: 1000, id: 'v2' })
    expect(next.status).toBe(200)
    expect(next.body.quote).toMatchObject({ rule_version: 2, net_minor: 2000 })
  })

  test('a suspension on one instance stops generate on another, at once', async ({ db }) => {
    const { a, b } = twoInstances(db)
    const p = await fundedProvider(a)
    expect((await generate(b, p, { amount: 100, id: 'before' })).status).toBe(200)
    const suspended = await call(a, 'POST', `/operator/providers/${p.name}/suspend`, {
      key: OPERATOR_TOKEN,
      body: { reason: 'Checking a complaint.' },
    })
    expect(suspended.status).toBe(200)
    expectError(await generate(b, p, { amount: 100, id: 'after' }), 403, 'provider_suspended')
    // A repeat of a claim made before still answers with that claim.
    const repeat = await generate(b, p, { amount: 100, id: 'before' })
    expect(repeat.status).toBe(200)
    expect(repeat.headers.get('idempotent-replayed')).toBe('true')
  })

  test('a low-float threshold set on one instance alerts from the next claim on another', async ({
    db,
  }) => {
    const { a, b } = twoInstances(db)
    const p = await fundedProvider(a, 10_000)
    expect((await generate(b, p, { amount: 1000, id: 'warm' })).status).toBe(200)
    const set = await call(a, 'PUT', '/cashout/float/alert', {
      key: p.key,
      body: { threshold_minor: 5_000 },
    })
    expect(set.status).toBe(200)
    expect((await generate(b, p, { amount: 5000, id: 'crossing' })).status).toBe(200)
    const lows = await db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('event_type', '=', 'float.low')
      .execute()
    expect(lows).toHaveLength(1)
    expect(JSON.parse(lows[0]?.payload ?? '{}')).toMatchObject({ available_minor: 4_000 })
  })
})
