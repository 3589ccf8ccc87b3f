import { Webhook } from 'standardwebhooks'
import { describe, expect, onTestFinished } from 'vitest'
import { manualClock } from '../../src/clock.ts'
import type { Db } from '../../src/db/schema.ts'
import { nodeTransport } from '../../src/webhooks/node-transport.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import {
  balance,
  call,
  credit,
  expectError,
  generate,
  liveOf,
  registerProvider,
  type TestProvider,
} from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { type Receiver, startReceiver } from '../support/receiver.ts'

/** A provider whose endpoint is a real receiver on loopback, with a funded test and live float. */
async function scene(db: Db) {
  const receiver = await startReceiver()
  onTestFinished(() => receiver.close())
  const built = buildTestApp(db, {
    clock: manualClock(new Date()),
    webhooks: nodeTransport({ allowLoopback: true }),
    env: { ...LIVE_ENV, ALLOW_LOOPBACK_ENDPOINTS: 'true' },
  })
  const provider = await registerProvider(built.app, { endpoint: `${receiver.url}/hook` })
  await credit(built.app, provider.name, 100_000)
  await credit(built.app, provider.name, 100_000, undefined, true)
  let n = 0
  return {
    ...built,
    receiver,
    provider,
    /** A claim of `cents` (1 point = 1 cent under the default rule); its uuid. */
    async claim(cents: number, p: TestProvider = provider) {
      n += 1
      const reply = await generate(built.app, p, { amount: cents, id: `fl-${n}` })
      expect(reply.status).toBe(200)
      return reply.body.uuid as string
    },
    cancel: (uuid: string, p: TestProvider = provider) =>
      call(built.app, 'POST', `/cashout/claims/${uuid}/cancel`, { key: p.key }),
    setAlert: (threshold: unknown, p: TestProvider = provider) =>
      call(built.app, 'PUT', '/cashout/float/alert', {
        key: p.key,
        body: { threshold_minor: threshold },
      }),
    async deliver() {
      while ((await runWebhookBatch({ deps: built.deps, workerId: 'test' })) > 0) {}
    },
  }
}

async function floatLows(db: Db) {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('event_type', '=', 'float.low')
    .orderBy('created_at')
    .execute()
}

const headersOf = (r: Receiver['received'][number]) =>
  Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]))

describe('float.low', () => {
  test('fires once per crossing, signed and delivered like any webhook', async ({ db }) => {
    const s = await scene(db)
    const set = await s.setAlert(60_000)
    expect(set.status).toBe(200)
    expect(set.body).toEqual({
      livemode: false,
      currency: 'AUD',
      threshold_minor: 60_000,
      below: false,
      available_minor: 100_000,
    })
    expect(await floatLows(db)).toHaveLength(0)

    await s.claim(30_000) // 70,000 left: still above
    expect(await floatLows(db)).toHaveLength(0)
    const crossing = await s.claim(20_000) // 50,000: under 60,000
    const [first, ...none] = await floatLows(db)
    expect(none).toHaveLength(0)
    expect(first).toMatchObject({ claim_id: null, event_id: null, livemode: false })
    await s.claim(5_000) // still under: no second alert
    expect(await floatLows(db)).toHaveLength(1)

    await s.deliver()
    const request = s.receiver.received.find((r) => r.headers['webhook-id'] === first?.id)
    expect(request?.body).toBe(first?.payload)
    const body = new Webhook(s.provider.webhookSecret).verify(
      request?.body ?? '',
      headersOf(request as never),
    )
    expect(body).toEqual({
      name: s.provider.name,
      details: { response: 'Float low', code: 51, time: expect.any(String), amount: 0 },
      event: 'float.low',
      livemode: false,
      available_minor: 50_000,
      threshold_minor: 60_000,
      currency: 'AUD',
    })
    const delivered = await db
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts'])
      .where('id', '=', first?.id ?? '')
      .executeTakeFirstOrThrow()
    expect(delivered).toEqual({ status: 'delivered', attempts: 1 })

    // Back at the threshold (45,000 + 20,000 returned = 65,000), then down again: a second alert.
    expect((await s.cancel(crossing)).status).toBe(200)
    expect(
      (await call(s.app, 'GET', '/cashout/float/alert', { key: s.provider.key })).body,
    ).toMatchObject({ below: false, available_minor: 65_000 })
    expect(await floatLows(db)).toHaveLength(1)
    await s.claim(10_000)
    const lows = await floatLows(db)
    expect(lows).toHaveLength(2)
    expect(JSON.parse(lows[1]?.payload ?? '{}')).toMatchObject({ available_minor: 55_000 })
  })

  test('a top-up re-arms the alert; exactly at the threshold is not under it', async ({ db }) => {
    const s = await scene(db)
    await s.setAlert(50_000)
    await s.claim(50_000) // exactly 50,000: not below
    expect(await floatLows(db)).toHaveLength(0)
    await s.claim(1) // 49,999
    expect(await floatLows(db)).toHaveLength(1)
    await credit(s.app, s.provider.name, 1)
    await s.claim(1)
    expect(await floatLows(db)).toHaveLength(2)
  })

  test('none for the other mode, none without a threshold', async ({ db }) => {
    const s = await scene(db)
    const live = liveOf(s.provider)
    await s.claim(40_000, live) // the live float has no alert
    await s.setAlert(50_000) // the test float's, and it is above it
    await s.claim(55_000, live) // the live float is at 5,000, far under the test threshold
    expect(await floatLows(db)).toHaveLength(0)
    const other = await registerProvider(s.app)
    await credit(s.app, other.name, 1_000)
    await s.claim(999, other)
    expect(await floatLows(db)).toHaveLength(0)
    // The live alert, set on its own, fires for the live float only.
    expect((await s.setAlert(10_000, live)).body).toMatchObject({ livemode: true, below: true })
    const [low] = await floatLows(db)
    expect(low).toMatchObject({ livemode: true })
    expect(JSON.parse(low?.payload ?? '{}')).toMatchObject({
      livemode: true,
      available_minor: 5_000,
    })
  })

  test('a threshold set above the float alerts at once; changes are audited', async ({ db }) => {
    const s = await scene(db)
    const set = await s.setAlert(150_000)
    expect(set.body).toMatchObject({ below: true, threshold_minor: 150_000 })
    expect(await floatLows(db)).toHaveLength(1)
    await s.setAlert(200_000) // still under: the crossing was already told
    await s.setAlert(200_000) // no change at all
    expect(await floatLows(db)).toHaveLength(1)
    const cleared = await s.setAlert(null)
    expect(cleared.body).toMatchObject({ threshold_minor: null, below: false })
    expect(await db.selectFrom('float_alerts').selectAll().execute()).toEqual([])

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'float.threshold_changed')
      .orderBy('created_at')
      .execute()
    expect(audit.map((a) => [a.before, a.after])).toEqual([
      [{ threshold_minor: null }, { threshold_minor: 150_000 }],
      [{ threshold_minor: 150_000 }, { threshold_minor: 200_000 }],
      [{ threshold_minor: 200_000 }, { threshold_minor: null }],
    ])
    expect(audit[0]).toMatchObject({ actor_type: 'key', livemode: false })
    expect(audit[0]?.actor_label).toMatch(/^ck_test_/)
  })

  test('the API refuses a bad threshold in the one error shape and changes nothing', async ({
    db,
  }) => {
    const s = await scene(db)
    await s.setAlert(10_000)
    for (const [body, field] of [
      [{ threshold_minor: -1 }, 'threshold_minor'],
      [{ threshold_minor: '500' }, 'threshold_minor'],
      [{ threshold_minor: 1.5 }, 'threshold_minor'],
      [{ threshold_minor: 500, extra: true }, 'extra'],
      [{}, 'threshold_minor'],
    ] as const) {
      const reply = await call(s.app, 'PUT', '/cashout/float/alert', { key: s.provider.key, body })
      expectError(reply, 422, 'validation_failed')
      expect(reply.body.details.map((d: { field: string }) => d.field)).toContain(field)
    }
    expect(
      (await call(s.app, 'GET', '/cashout/float/alert', { key: s.provider.key })).body,
    ).toMatchObject({ threshold_minor: 10_000 })
    expectError(await call(s.app, 'GET', '/cashout/float/alert'), 401, 'unauthorized')
  })
})

describe('float credits in the audit log', () => {
  test('a new credit is audited with who made it; a replay writes nothing', async ({ db }) => {
    const { app } = buildTestApp(db)
    const p = await registerProvider(app)
    const fund = (reference: string) =>
      call(app, 'POST', '/cashout/test/fund', {
        key: p.key,
        body: { amount_minor: 2_500, reference },
      })
    expect((await fund('top-up-1')).status).toBe(200)
    expect((await fund('top-up-1')).body).toMatchObject({ replayed: true })
    expect(await balance(app, p)).toMatchObject({ available_minor: 2_500 })
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'float.credited')
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      actor_type: 'key',
      livemode: false,
      target: 'top-up-1',
      after: { amount_minor: 2_500, reference: 'top-up-1', livemode: false },
    })
  })
})
