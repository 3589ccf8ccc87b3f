import { describe, expect } from 'vitest'
import { sweepExpiredClaims } from '../../src/claims/expire.ts'
import type { ManualClock } from '../../src/clock.ts'
import { createPostgresDb } from '../../src/db/postgres.ts'
import { createLogger } from '../../src/log/logger.ts'
import { balance, call, fundedProvider, generate } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const N = 50

describe('concurrent requests', () => {
  test(`${N} identical generates make one claim and one reservation`, async ({ harness, db }) => {
    const p = await fundedProvider(harness.app, 100_000)
    const replies = await Promise.all(
      Array.from({ length: N }, () => generate(harness.app, p, { amount: 700, id: 'dup' })),
    )
    expect(replies.map((r) => r.status)).toEqual(Array(N).fill(200))
    expect(new Set(replies.map((r) => r.body.uuid)).size).toBe(1)
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1)
    expect(await db.selectFrom('claims').select('id').execute()).toHaveLength(1)
    expect(
      await db.selectFrom('ledger_transfers').select('id').where('kind', '=', 'reserve').execute(),
    ).toHaveLength(1)
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 99_300,
      reserved_minor: 700,
    })
  })

  test(`${N} distinct generates against a float for 10 let exactly 10 through`, async ({
    harness,
    db,
  }) => {
    const p = await fundedProvider(harness.app, 10 * 1234)
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => generate(harness.app, p, { amount: 1234, id: `d${i}` })),
    )
    const ok = replies.filter((r) => r.status === 200)
    const short = replies.filter((r) => r.status === 409)
    expect(ok).toHaveLength(10)
    expect(short).toHaveLength(N - 10)
    expect(new Set(short.map((r) => r.body.code))).toEqual(new Set(['insufficient_float']))
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 0,
      reserved_minor: 12_340,
    })
    expect(await db.selectFrom('claims').select('id').execute()).toHaveLength(10)
    const negative = await db
      .selectFrom('ledger_accounts')
      .select('id')
      .where('kind', 'in', ['available', 'reserved'])
      .where('balance', '<', 0n)
      .execute()
    expect(negative).toEqual([])
  })

  test('20 concurrent cancels of one claim release it once', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 5000)
    const claim = (await generate(harness.app, p, { amount: 5000, id: 'x' })).body
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, { key: p.key }),
      ),
    )
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1)
    expect(replies.filter((r) => r.body.code === 'claim_not_open')).toHaveLength(19)
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 5000,
      reserved_minor: 0,
    })
  })

  test('sweeps running side by side expire each claim exactly once', async ({
    harness,
    testDb,
  }) => {
    const p = await fundedProvider(harness.app, 100_000)
    for (let i = 0; i < 40; i++) {
      await generate(harness.app, p, { amount: 25, id: `s${i}`, expires_in: 300 })
    }
    ;(harness.deps.clock as ManualClock).advance(300_000)
    const silent = createLogger({ level: 'silent', write: () => {} })
    const pools =
      testDb.kind === 'postgres'
        ? Array.from({ length: 3 }, () =>
            createPostgresDb({ url: testDb.url ?? '', poolMax: 2, logger: silent }),
          )
        : [testDb.db, testDb.db, testDb.db]
    try {
      const counts = await Promise.all(
        pools.map((db) =>
          sweepExpiredClaims({ deps: { db, clock: harness.deps.clock }, batchSize: 4 }),
        ),
      )
      expect(counts.reduce((a, b) => a + b, 0)).toBe(40)
    } finally {
      if (testDb.kind === 'postgres') await Promise.all(pools.map((db) => db.destroy()))
    }
    const expired = await testDb.db
      .selectFrom('events')
      .select('claim_id')
      .where('type', '=', 'claim.expired')
      .execute()
    expect(expired).toHaveLength(40)
    expect(new Set(expired.map((e) => e.claim_id)).size).toBe(40)
    expect(await balance(harness.app, p)).toMatchObject({
      available_minor: 100_000,
      reserved_minor: 0,
    })
  })
})
