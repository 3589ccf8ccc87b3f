import { describe, expect } from 'vitest'
import type { Db, DeliveryStatus } from '../../src/db/schema.ts'
import { newMessageId } from '../../src/webhooks/payload.ts'
import { DELIVERY_RETENTION_MS, pruneDeliveries } from '../../src/webhooks/prune.ts'
import { registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const DAY = 86_400_000

async function providerIdOf(db: Db, name: string) {
  return (
    await db.selectFrom('providers').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  ).id
}

/** A delivery last changed `ageDays` ago (created earlier still), with `attempts` logged. */
async function delivery(
  db: Db,
  providerId: string,
  status: DeliveryStatus,
  now: Date,
  ageDays: number,
  attempts: number,
  createdDaysAgo = ageDays + 1,
) {
  const id = newMessageId()
  const at = (days: number) => new Date(now.getTime() - days * DAY)
  await db
    .insertInto('webhook_deliveries')
    .values({
      id,
      provider_id: providerId,
      livemode: false,
      event_id: null,
      claim_id: null,
      event_type: 'webhook.test',
      payload: '{}',
      status,
      attempts,
      next_attempt_at: at(ageDays),
      delivered_at: status === 'delivered' ? at(ageDays) : null,
      created_at: at(createdDaysAgo),
      updated_at: at(ageDays),
    })
    .execute()
  for (let n = 1; n <= attempts; n++) {
    await db
      .insertInto('webhook_attempts')
      .values({
        delivery_id: id,
        attempt: n,
        attempted_at: at(ageDays),
        status_code: 500,
        latency_ms: 3,
        error: 'HTTP 500',
      })
      .execute()
  }
  return id
}

describe('the delivery log keeps 30 days', () => {
  test('prunes delivered and exhausted deliveries last changed more than 30 days ago, with their attempts, batch by batch', async ({
    db,
    harness,
  }) => {
    expect(DELIVERY_RETENTION_MS).toBe(30 * DAY)
    const now = harness.deps.clock.now()
    const providerId = await providerIdOf(db, (await registerProvider(harness.app)).name)
    const old = [
      await delivery(db, providerId, 'delivered', now, 31, 1),
      await delivery(db, providerId, 'exhausted', now, 45, 10),
      await delivery(db, providerId, 'delivered', now, 30.01, 2),
    ]
    const kept = [
      // Never a pending one, however old: it still has attempts to make.
      await delivery(db, providerId, 'pending', now, 90, 3),
      await delivery(db, providerId, 'delivered', now, 29, 1),
      await delivery(db, providerId, 'exhausted', now, 29.9, 10),
      // Created long ago, but replayed and delivered yesterday.
      await delivery(db, providerId, 'delivered', now, 1, 11, 60),
    ]

    expect(await pruneDeliveries({ deps: harness.deps, batchSize: 2 })).toBe(old.length)

    const left = await db.selectFrom('webhook_deliveries').select('id').execute()
    expect(left.map((d) => d.id).sort()).toEqual([...kept].sort())
    const attempts = await db
      .selectFrom('webhook_attempts')
      .select(['delivery_id'])
      .where('delivery_id', 'in', [...old, ...kept])
      .execute()
    expect(new Set(attempts.map((a) => a.delivery_id))).toEqual(new Set(kept))
    expect(attempts).toHaveLength(3 + 1 + 10 + 11)

    expect(await pruneDeliveries({ deps: harness.deps })).toBe(0)
  })
})
