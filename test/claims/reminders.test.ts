import { Webhook } from 'standardwebhooks'
import { describe, expect } from 'vitest'
import { sweepExpiredClaims } from '../../src/claims/expire.ts'
import { sweepClaimReminders } from '../../src/claims/remind.ts'
import { type ManualClock, manualClock } from '../../src/clock.ts'
import { createPostgresDb } from '../../src/db/postgres.ts'
import type { Db } from '../../src/db/schema.ts'
import { createLogger } from '../../src/log/logger.ts'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { buildTestApp } from '../support/app.ts'
import { call, credit, generate, type Loose, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import {
  BANK,
  bankAccount,
  eventLog,
  eventTypes,
  payoutHarness,
  submit,
} from '../support/payouts.ts'

const SECOND = 1000
const HOUR = 3600 * SECOND
const DAY = 24 * HOUR

/** A day's link with a reminder an hour before it lapses. */
const REMINDING_RULE = {
  rate: { points: 1, cash_minor: 1 },
  claim_lifetime_seconds: 86_400,
  expiry_reminder_seconds: 3600,
}

interface Sent {
  headers: Record<string, string>
  body: string
}

/** The app with a webhook endpoint that records what it is sent and answers 200. */
async function scene(db: Db) {
  const sent: Sent[] = []
  const transport: WebhookTransport = {
    post: async (_url, headers, body) => {
      sent.push({ headers, body })
      return { status: 200, retryAfter: null }
    },
    vet: async () => true,
  }
  const clock = manualClock('2026-03-01T00:00:00Z')
  const built = buildTestApp(db, { clock, webhooks: transport })
  const provider = await registerProvider(built.app)
  await credit(built.app, provider.name, 1_000_000)
  const rule = await call(built.app, 'PUT', '/cashout/rules', {
    key: provider.key,
    body: REMINDING_RULE,
  })
  expect(rule.status).toBe(200)
  const deps = built.deps
  return {
    ...built,
    clock: clock as ManualClock,
    provider,
    sent,
    remind: () => sweepClaimReminders({ deps }),
    /** Delivers every due webhook; the verified bodies of all sent so far, in sending order. */
    async delivered(): Promise<Loose[]> {
      while ((await runWebhookBatch({ deps, workerId: 'test' })) > 0) {}
      // Signed at the app's clock, days ahead of the real one the library's verify reads.
      const signer = new Webhook(provider.webhookSecret)
      return sent.map((s) => {
        const at = new Date(Number(s.headers['webhook-timestamp']) * 1000)
        const expected = signer.sign(s.headers['webhook-id'] ?? '', at, s.body)
        expect(s.headers['webhook-signature']?.split(' ')).toContain(expected)
        return JSON.parse(s.body)
      })
    },
    async claim(id: string, extra: Record<string, unknown> = {}) {
      const reply = await generate(built.app, provider, { amount: 100, id, ...extra })
      expect(reply.status).toBe(200)
      return reply.body as { uuid: string; expires_at: string }
    },
  }
}

describe('expiry reminders', () => {
  test('an open claim is reminded once, signed, at expires_at less the rule’s reminder', async ({
    db,
  }) => {
    const s = await scene(db)
    const claim = await s.claim('r-1')
    expect(new Date(claim.expires_at).getTime() - s.clock.now().getTime()).toBe(DAY)

    s.clock.advance(DAY - HOUR - SECOND)
    expect(await s.remind()).toBe(0)
    expect(await s.delivered()).toEqual([])

    s.clock.advance(SECOND)
    expect(await s.remind()).toBe(1)
    expect(await s.remind()).toBe(0)
    const [reminder, ...more] = await s.delivered()
    expect(more).toEqual([])
    expect(reminder).toMatchObject({
      name: s.provider.name,
      event: 'claim.expiring',
      uuid: claim.uuid,
      id: 'r-1',
      status: 'open',
      sequence: 2,
      expires_at: claim.expires_at,
      details: { code: 9, amount: 100, time: s.clock.now().toISOString() },
      failure: null,
      destination: null,
    })

    // Later sweeps, up to and past its expiry, send nothing more but its expiry.
    s.clock.advance(HOUR / 2)
    expect(await s.remind()).toBe(0)
    s.clock.advance(HOUR / 2)
    expect(await s.remind()).toBe(0)
    expect(await sweepExpiredClaims({ deps: s.deps })).toBe(1)
    expect((await s.delivered()).map((b) => [b.event, b.sequence])).toEqual([
      ['claim.expiring', 2],
      ['claim.expired', 3],
    ])
    expect(await eventLog(db, claim.uuid)).toEqual([
      '1 claim.created',
      '2 claim.expiring',
      '3 claim.expired',
    ])
    const read = await call(s.app, 'GET', `/cashout/claims/${claim.uuid}`, { key: s.provider.key })
    expect(read.body.status).toBe('expired')
  })

  test('is not sent for claims submitted, cancelled or past their time, nor without a reminder', async ({
    db,
  }) => {
    const s = await scene(db)
    const submitted = await s.claim('submitted')
    const sub = await call(s.app, 'POST', `/cashout/claims/${submitted.uuid}/submit`, {
      key: s.provider.key,
      body: BANK,
    })
    expect(sub.status).toBe(200)
    const cancelled = await s.claim('cancelled')
    const cancel = await call(s.app, 'POST', `/cashout/claims/${cancelled.uuid}/cancel`, {
      key: s.provider.key,
    })
    expect(cancel.status).toBe(200)
    // Its own life is shorter than the reminder: none is scheduled.
    const brief = await s.claim('brief', { expires_in: 1800 })
    // Both its reminder and its expiry are due by the time the sweep runs.
    const late = await s.claim('late', { expires_in: 2 * 3600 })
    const reminded = await s.claim('reminded')
    // A claim keeps the reminder of the rule version it was made under.
    const put = await call(s.app, 'PUT', '/cashout/rules', {
      key: s.provider.key,
      body: { ...REMINDING_RULE, expiry_reminder_seconds: null },
    })
    expect(put.body.expiry_reminder_seconds).toBeNull()
    const unreminded = await s.claim('unreminded')

    const remindAt = await db
      .selectFrom('claims')
      .select(['provider_ref', 'remind_at'])
      .orderBy('provider_ref')
      .execute()
    const start = s.clock.now().getTime()
    expect(
      Object.fromEntries(
        remindAt.map((r) => [r.provider_ref, r.remind_at && r.remind_at.getTime() - start]),
      ),
    ).toEqual({
      brief: null,
      cancelled: DAY - HOUR,
      late: HOUR,
      reminded: DAY - HOUR,
      submitted: DAY - HOUR,
      unreminded: null,
    })

    s.clock.advance(2 * HOUR)
    expect(await s.remind()).toBe(0)
    s.clock.advance(DAY - 3 * HOUR)
    expect(await s.remind()).toBe(1)
    s.clock.advance(2 * HOUR)
    expect(await s.remind()).toBe(0)

    const reminders = await db
      .selectFrom('events')
      .select('claim_id')
      .where('type', '=', 'claim.expiring')
      .execute()
    expect(reminders).toEqual([{ claim_id: reminded.uuid }])
    expect((await s.delivered()).map((b) => [b.id, b.event])).toContainEqual([
      'reminded',
      'claim.expiring',
    ])
    for (const other of [submitted, cancelled, brief, late, unreminded]) {
      expect(await eventLog(db, other.uuid)).not.toContainEqual(
        expect.stringContaining('claim.expiring'),
      )
    }
  })

  test('after a reopen the reminder follows the later expiry, continues the sequence, and is never repeated', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await registerProvider(h.app)
    await credit(h.app, p.name, 100_000)
    await call(h.app, 'PUT', '/cashout/rules', { key: p.key, body: REMINDING_RULE })
    const start = h.clock.now().getTime()
    const claim = (await generate(h.app, p, { amount: 500, id: 'reopened' })).body
    const failAndReopen = async () => {
      const reply = await submit(h.app, p, claim.uuid, bankAccount('00000014'))
      expect(reply.status).toBe(200)
      await h.drain()
      return h.waitForClaim(p, claim.uuid, 'open')
    }

    // Reopened 12 hours in, the claim gets a day from then: its reminder moves with its expiry.
    h.clock.advance(12 * HOUR)
    const reopened = await failAndReopen()
    expect(new Date(reopened.expires_at).getTime() - start).toBe(36 * HOUR)
    h.clock.advance(11 * HOUR)
    expect(await sweepClaimReminders({ deps: h.deps })).toBe(0)
    h.clock.advance(12 * HOUR)
    expect(await sweepClaimReminders({ deps: h.deps })).toBe(1)

    const reminder = await db
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('claim_id', '=', claim.uuid)
      .where('event_type', '=', 'claim.expiring')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(reminder.payload)).toMatchObject({
      event: 'claim.expiring',
      status: 'open',
      sequence: 4,
      expires_at: reopened.expires_at,
    })
    // The reminder leaves the claim as its reopening left it, reason and all.
    const read = await call(h.app, 'GET', `/cashout/claims/${claim.uuid}`, { key: p.key })
    expect(read.body).toMatchObject({ status: 'open', status_reason: reopened.status_reason })
    expect(reopened.status_reason).toEqual(expect.any(String))

    // Reopened again with yet more time, it has had its reminder.
    const again = await failAndReopen()
    h.clock.advance(new Date(again.expires_at).getTime() - h.clock.now().getTime() - HOUR / 2)
    expect(await sweepClaimReminders({ deps: h.deps })).toBe(0)
    expect(await eventTypes(db, claim.uuid)).toEqual([
      'claim.created',
      'claim.submitted',
      'claim.reopened',
      'claim.expiring',
      'claim.submitted',
      'claim.reopened',
    ])
  })
})

describe.runIf(process.env.TEST_DATABASE_URL)('expiry reminders on Postgres', () => {
  test('sweeps running side by side on their own pools remind each claim exactly once', async ({
    db,
    testDb,
  }) => {
    const s = await scene(db)
    for (let i = 0; i < 40; i++) await s.claim(`side-${i}`)
    s.clock.advance(DAY - HOUR)
    const silent = createLogger({ level: 'silent', write: () => {} })
    const pools = Array.from({ length: 3 }, () =>
      createPostgresDb({ url: testDb.url ?? '', poolMax: 2, logger: silent }),
    )
    try {
      const counts = await Promise.all(
        pools.map((pool) =>
          sweepClaimReminders({ deps: { db: pool, clock: s.clock }, batchSize: 4 }),
        ),
      )
      expect(counts.reduce((a, b) => a + b, 0)).toBe(40)
    } finally {
      await Promise.all(pools.map((pool) => pool.destroy()))
    }
    const bodies = await s.delivered()
    expect(bodies).toHaveLength(40)
    expect(new Set(bodies.map((b) => b.uuid)).size).toBe(40)
    expect(new Set(bodies.map((b) => `${b.event} ${b.sequence}`))).toEqual(
      new Set(['claim.expiring 2']),
    )
  })
})
