import { sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import { describe, expect } from 'vitest'
import { SYSTEM } from '../../src/audit/record.ts'
import { type ManualClock, manualClock } from '../../src/clock.ts'
import { loadMigrationFiles } from '../../src/db/migration-files.ts'
import { migrate } from '../../src/db/migrator.ts'
import type { Db } from '../../src/db/schema.ts'
import { sendTestEvent } from '../../src/webhooks/manage.ts'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { buildTestApp } from '../support/app.ts'
import { call, expectError, registerProvider, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const HISTORY = '2026-11-30_01_webhook_secret_history.sql'

interface Sent {
  headers: Record<string, string>
  body: string
}

/** A transport that takes every message and keeps it, so each signature can be checked. */
function keepingTransport() {
  const sent: Sent[] = []
  const transport: WebhookTransport = {
    vet: async () => true,
    async post(_url, headers, body) {
      sent.push({ headers, body })
      return { status: 200, retryAfter: null }
    },
  }
  return { sent, transport }
}

interface Scene {
  app: ReturnType<typeof buildTestApp>['app']
  clock: ManualClock
  provider: TestProvider
  rotate(overlapSeconds: number): ReturnType<typeof call>
  /** Sends `webhook.test` and delivers it; the message as the endpoint received it. */
  testMessage(): Promise<Sent>
}

async function scene(db: Db): Promise<Scene> {
  const { sent, transport } = keepingTransport()
  // Real time, so the receiving library's five-minute timestamp tolerance holds.
  const clock = manualClock(new Date())
  const built = buildTestApp(db, { clock, webhooks: transport })
  const provider = await registerProvider(built.app, {
    endpoint: 'https://hooks.example.com/hook',
  })
  return {
    app: built.app,
    clock,
    provider,
    rotate: (overlapSeconds) =>
      call(built.app, 'POST', '/cashout/webhooks/secret/rotate', {
        key: provider.key,
        body: { overlap_seconds: overlapSeconds },
      }),
    async testMessage() {
      const queued = await call(built.app, 'POST', '/cashout/webhooks/test', { key: provider.key })
      expect(queued.status).toBe(201)
      while ((await runWebhookBatch({ deps: built.deps, workerId: 'test' })) > 0) {}
      const message = sent.at(-1)
      if (!message) throw new Error('nothing was delivered')
      return message
    },
  }
}

/** Whether a receiver holding `secret` accepts the message. */
function verifies(secret: string, message: Sent): boolean {
  try {
    new Webhook(secret).verify(message.body, message.headers)
    return true
  } catch {
    return false
  }
}

const signatures = (message: Sent) => (message.headers['webhook-signature'] ?? '').split(' ')

describe('rotating the webhook secret', () => {
  test('twice within the overlap keeps every secret signing until its own overlap ends', async ({
    db,
  }) => {
    const s = await scene(db)
    const a = s.provider.webhookSecret
    const t0 = s.clock.now().getTime()
    const first = await s.rotate(120)
    expect(first.status).toBe(200)
    const b: string = first.body.webhook_secret
    expect(first.body.previous_secret_valid_until).toBe(new Date(t0 + 120_000).toISOString())

    s.clock.advance(30_000)
    const second = await s.rotate(60)
    expect(second.status).toBe(200)
    const c: string = second.body.webhook_secret
    // The promise this rotation makes for B; A's earlier one still stands.
    expect(second.body.previous_secret_valid_until).toBe(new Date(t0 + 90_000).toISOString())

    const during = await s.testMessage()
    expect([a, b, c].map((secret) => verifies(secret, during))).toEqual([true, true, true])
    expect(signatures(during)).toHaveLength(3)
    // Old signatures stop when the last promise ends.
    const settings = await call(s.app, 'GET', '/cashout/webhooks', { key: s.provider.key })
    expect(settings.body.previous_secret_valid_until).toBe(new Date(t0 + 120_000).toISOString())

    // B's overlap (t1 + 60 s) is over; A's (t0 + 120 s) is not.
    s.clock.set(new Date(t0 + 91_000))
    const later = await s.testMessage()
    expect(signatures(later)).toHaveLength(2)
    expect([a, b, c].map((secret) => verifies(secret, later))).toEqual([true, false, true])

    s.clock.set(new Date(t0 + 121_000))
    const after = await s.testMessage()
    expect(signatures(after)).toHaveLength(1)
    expect([a, b, c].map((secret) => verifies(secret, after))).toEqual([false, false, true])
    expect(
      (await call(s.app, 'GET', '/cashout/webhooks', { key: s.provider.key })).body
        .previous_secret_valid_until,
    ).toBeNull()
  })

  test('at most three earlier secrets are honoured at once; a fourth waits, or drops at once', async ({
    db,
  }) => {
    const s = await scene(db)
    const secrets = [s.provider.webhookSecret]
    const t0 = s.clock.now().getTime()
    for (let i = 0; i < 3; i++) {
      const rotated = await s.rotate(60)
      expect(rotated.status).toBe(200)
      secrets.push(rotated.body.webhook_secret)
      s.clock.advance(1_000)
    }
    const stored = async () =>
      db
        .selectFrom('providers')
        .select(['webhook_secret_jwe', 'previous_webhook_secrets'])
        .where('name', '=', s.provider.name)
        .executeTakeFirstOrThrow()
    const audits = async () =>
      (
        await db
          .selectFrom('audit_log')
          .select('action')
          .where('action', '=', 'webhook.secret_rotated')
          .execute()
      ).length
    const before = await stored()
    expect(before.previous_webhook_secrets).toHaveLength(3)

    const refused = await s.rotate(60)
    expectError(refused, 409, 'webhook_secret_overlaps')
    expect(refused.body.message).toContain(new Date(t0 + 60_000).toISOString())
    expect(await stored()).toEqual(before)
    expect(await audits()).toBe(3)

    // Without an overlap the current secret stops at once, so no new promise is made.
    const dropped = await s.rotate(0)
    expect(dropped.status).toBe(200)
    expect(dropped.body.previous_secret_valid_until).toBeNull()
    const newest: string = dropped.body.webhook_secret
    const message = await s.testMessage()
    expect([...secrets, newest].map((secret) => verifies(secret, message))).toEqual([
      true,
      true,
      true,
      false,
      true,
    ])

    // Once the first overlap ends, its secret is pruned and a rotation may overlap again.
    s.clock.set(new Date(t0 + 60_500))
    expect((await s.rotate(60)).status).toBe(200)
    const pruned = (await stored()).previous_webhook_secrets
    expect(pruned).toHaveLength(3)
    expect(pruned.map((p) => p.until)).toEqual([
      new Date(t0 + 61_000).toISOString(),
      new Date(t0 + 62_000).toISOString(),
      new Date(t0 + 120_500).toISOString(),
    ])
  })
})

describe('the migration to a history of secrets', () => {
  test('moves a previous secret still in its overlap, which keeps signing', async ({ db }) => {
    const all = await loadMigrationFiles()
    await sql`drop schema public cascade`.execute(db)
    await sql`create schema public`.execute(db)
    await migrate(
      db,
      all.filter((m) => m.name < HISTORY),
    )
    const { sent, transport } = keepingTransport()
    const built = buildTestApp(db, { clock: manualClock(new Date()), webhooks: transport })
    const { vault } = built.deps
    const [a, b, old] = ['a', 'b', 'o'].map(
      (c) => `whsec_${Buffer.alloc(32, c).toString('base64')}`,
    )
    if (!a || !b || !old) throw new Error('no secrets')
    const until = new Date(Date.now() + 3600_000)
    const seal = async (secret: string) => (await vault.seal(secret)).jwe
    await sql`
      insert into providers (id, name, endpoint, card_jwe, card_key_id, card_pan_hmac,
        card_last4, webhook_secret_jwe, previous_webhook_secret_jwe, previous_webhook_secret_until)
      values
        ('00000000-0000-4000-8000-00000000000a', 'rotated', 'https://a.example/h', 'x', 'k',
          'h1', '1111', ${await seal(b)}, ${await seal(a)}, ${until}),
        ('00000000-0000-4000-8000-00000000000b', 'long-ago', 'https://b.example/h', 'x', 'k',
          'h2', '2222', ${await seal(b)}, ${await seal(old)}, ${new Date(Date.now() - 1000)})
    `.execute(db)
    expect(await migrate(db, all)).toMatchObject({ applied: expect.arrayContaining([HISTORY]) })

    const rows = await db
      .selectFrom('providers')
      .select(['name', 'previous_webhook_secrets'])
      .orderBy('name')
      .execute()
    expect(rows.map((r) => [r.name, r.previous_webhook_secrets.length])).toEqual([
      ['long-ago', 0],
      ['rotated', 1],
    ])
    expect(rows[1]?.previous_webhook_secrets[0]?.until).toBe(until.toISOString())

    await sendTestEvent({
      deps: built.deps,
      scope: { providerId: '00000000-0000-4000-8000-00000000000a', livemode: false },
      actor: SYSTEM,
    })
    await runWebhookBatch({ deps: built.deps, workerId: 'test' })
    const [message] = sent
    if (!message) throw new Error('nothing was delivered')
    expect([a, b].map((secret) => verifies(secret, message))).toEqual([true, true])
  })
})
