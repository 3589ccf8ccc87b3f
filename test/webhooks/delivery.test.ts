import { Webhook } from 'standardwebhooks'
import { describe, expect, onTestFinished } from 'vitest'
import { type ManualClock, manualClock } from '../../src/clock.ts'
import type { Db } from '../../src/db/schema.ts'
import { nodeTransport, pinnedLookup, type Resolver } from '../../src/webhooks/node-transport.ts'
import { TransportError, type WebhookTransport } from '../../src/webhooks/transport.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { buildTestApp } from '../support/app.ts'
import {
  call,
  credit,
  generate,
  registerProvider,
  registration,
  type TestProvider,
} from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { type Receiver, startReceiver } from '../support/receiver.ts'

interface Scene {
  app: ReturnType<typeof buildTestApp>['app']
  deps: ReturnType<typeof buildTestApp>['deps']
  clock: ManualClock
  receiver: Receiver
  provider: TestProvider
  /** Runs the webhook worker until nothing is due. */
  deliver(workerId?: string): Promise<number>
  /** A claim event: generates a claim and cancels it, which sends `claim.cancelled`. */
  cancelledClaim(): Promise<string>
}

async function scene(
  db: Db,
  options: {
    transport?: (base: WebhookTransport) => WebhookTransport
    allowLoopback?: boolean
    timeoutMs?: number
  } = {},
): Promise<Scene> {
  const receiver = await startReceiver()
  onTestFinished(() => receiver.close())
  const allowLoopback = options.allowLoopback ?? true
  const base = nodeTransport({ allowLoopback, timeoutMs: options.timeoutMs })
  const clock = manualClock(new Date())
  const built = buildTestApp(db, {
    clock,
    webhooks: options.transport ? options.transport(base) : base,
    env: { ALLOW_LOOPBACK_ENDPOINTS: allowLoopback ? 'true' : 'false' },
  })
  const endpoint = allowLoopback ? `${receiver.url}/hook` : 'https://hooks.example.com/hook'
  const provider = await registerProvider(built.app, { endpoint })
  await credit(built.app, provider.name, 1_000_000)
  return {
    ...built,
    clock,
    receiver,
    provider,
    async deliver(workerId = 'test') {
      let total = 0
      for (;;) {
        const n = await runWebhookBatch({ deps: built.deps, workerId })
        total += n
        if (n === 0) return total
      }
    },
    async cancelledClaim() {
      const claim = (await generate(built.app, provider, { amount: 100, id: `w-${Math.random()}` }))
        .body
      await call(built.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, { key: provider.key })
      return claim.uuid as string
    },
  }
}

async function deliveryOf(db: Db, claimId: string) {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('claim_id', '=', claimId)
    .executeTakeFirstOrThrow()
}

const headersOf = (r: Receiver['received'][number]) =>
  Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]))

describe('webhook delivery', () => {
  test('is signed as Standard Webhooks, with the exact stored bytes', async ({ db }) => {
    const s = await scene(db)
    const uuid = await s.cancelledClaim()
    expect(await s.deliver()).toBe(1)
    const [request] = s.receiver.received
    const delivery = await deliveryOf(db, uuid)
    expect(request?.body).toBe(delivery.payload)
    expect(request?.headers['webhook-id']).toBe(delivery.id)
    expect(request?.headers['content-type']).toBe('application/json')
    const body = new Webhook(s.provider.webhookSecret).verify(
      request?.body ?? '',
      headersOf(request as never),
    ) as Record<string, unknown>
    expect(body).toMatchObject({
      name: s.provider.name,
      event: 'claim.cancelled',
      uuid,
      status: 'cancelled',
      details: { code: 69, amount: 100 },
    })
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, last_status: 200 })
    const log = await call(s.app, 'GET', `/cashout/webhooks/deliveries/${delivery.id}`, {
      key: s.provider.key,
    })
    expect(log.body.attempts).toEqual([
      {
        attempt: 1,
        at: expect.any(String),
        status_code: 200,
        latency_ms: expect.any(Number),
        error: null,
      },
    ])
  })

  test('a receiver that is down gets the same message, same id, once it is back', async ({
    db,
  }) => {
    const s = await scene(db)
    const port = Number(new URL(s.receiver.url).port)
    await s.receiver.close()
    const uuid = await s.cancelledClaim()
    await s.deliver()
    const first = await deliveryOf(db, uuid)
    expect(first).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringContaining('network'),
    })
    const wait = first.next_attempt_at.getTime() - s.clock.now().getTime()
    expect(wait).toBeGreaterThanOrEqual(4000)
    expect(wait).toBeLessThanOrEqual(6000)
    const back = await startReceiver(port)
    onTestFinished(() => back.close())
    expect(await s.deliver()).toBe(0)
    s.clock.advance(6000)
    expect(await s.deliver()).toBe(1)
    expect(back.received.map((r) => r.headers['webhook-id'])).toEqual([first.id])
    expect((await deliveryOf(db, uuid)).status).toBe('delivered')
  })

  test('a 500 and a timeout are retried on the schedule', async ({ db }) => {
    const s = await scene(db, { timeoutMs: 300 })
    s.receiver.respond = () => 500
    const uuid = await s.cancelledClaim()
    await s.deliver()
    let d = await deliveryOf(db, uuid)
    expect(d).toMatchObject({ attempts: 1, last_status: 500 })
    s.clock.advance(6000)
    s.receiver.respond = () => 'hang'
    await s.deliver()
    d = await deliveryOf(db, uuid)
    expect(d).toMatchObject({
      attempts: 2,
      last_status: null,
      last_error: expect.stringContaining('timeout'),
    })
    const wait = d.next_attempt_at.getTime() - s.clock.now().getTime()
    expect(wait).toBeGreaterThanOrEqual(240_000)
    expect(wait).toBeLessThanOrEqual(360_000)
    s.clock.advance(360_000)
    s.receiver.respond = () => 204
    await s.deliver()
    expect((await deliveryOf(db, uuid)).status).toBe('delivered')
    expect(new Set(s.receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1)
  })

  test('Retry-After is honoured', async ({ db }) => {
    const s = await scene(db)
    s.receiver.respond = () => ({ status: 503, headers: { 'Retry-After': '120' } })
    const uuid = await s.cancelledClaim()
    await s.deliver()
    const d = await deliveryOf(db, uuid)
    expect(d.next_attempt_at.getTime() - s.clock.now().getTime()).toBe(120_000)
  })

  test('a Retry-After shorter than the schedule does not hurry the next attempt', async ({
    db,
  }) => {
    const s = await scene(db)
    s.receiver.respond = () => ({ status: 503, headers: { 'Retry-After': '1' } })
    const uuid = await s.cancelledClaim()
    await s.deliver()
    const d = await deliveryOf(db, uuid)
    expect(d.next_attempt_at.getTime() - s.clock.now().getTime()).toBeGreaterThanOrEqual(4000)
  })

  test('a failure before sending is recorded and retried like any other', async ({ db }) => {
    const s = await scene(db)
    const uuid = await s.cancelledClaim()
    await db
      .updateTable('providers')
      .set({ webhook_secret_jwe: 'not-a-sealed-secret' })
      .where('name', '=', s.provider.name)
      .execute()
    expect(await s.deliver()).toBe(1)
    expect(s.receiver.received).toEqual([])
    const d = await deliveryOf(db, uuid)
    expect(d).toMatchObject({ status: 'pending', attempts: 1, last_error: 'failed to send' })
    expect(d.next_attempt_at.getTime()).toBeGreaterThan(s.clock.now().getTime())
    const log = await call(s.app, 'GET', `/cashout/webhooks/deliveries/${d.id}`, {
      key: s.provider.key,
    })
    expect(log.body.attempts).toMatchObject([{ attempt: 1, error: 'failed to send' }])
  })

  test('a redirect is not followed and counts as a failure', async ({ db }) => {
    const s = await scene(db)
    s.receiver.respond = (req) =>
      req.path === '/hook'
        ? { status: 302, headers: { Location: `${s.receiver.url}/elsewhere` } }
        : 200
    const uuid = await s.cancelledClaim()
    await s.deliver()
    expect(s.receiver.received.map((r) => r.path)).toEqual(['/hook'])
    expect(await deliveryOf(db, uuid)).toMatchObject({
      status: 'pending',
      last_status: 302,
      last_error: 'redirect (302) not followed',
    })
  })

  test('410 turns the endpoint off until the provider sets it again', async ({ db }) => {
    const s = await scene(db)
    s.receiver.respond = () => 410
    const first = await s.cancelledClaim()
    await s.deliver()
    const settings = await call(s.app, 'GET', '/cashout/webhooks', { key: s.provider.key })
    expect(settings.body).toMatchObject({
      enabled: false,
      disabled_reason: expect.stringContaining('410'),
      pending: 1,
    })
    const second = await s.cancelledClaim()
    s.clock.advance(3600_000)
    expect(await s.deliver()).toBe(0)
    expect(s.receiver.received).toHaveLength(1)

    s.receiver.respond = () => 200
    await call(s.app, 'POST', '/cashout/profile', {
      key: s.provider.key,
      body: { endpoint: `${s.receiver.url}/hook` },
    })
    expect(await s.deliver()).toBe(2)
    expect((await deliveryOf(db, first)).status).toBe('delivered')
    expect((await deliveryOf(db, second)).status).toBe('delivered')
  })

  test('a 410 from an endpoint since replaced does not turn the new one off', async ({ db }) => {
    let s: Scene | undefined
    const s2 = await scene(db, {
      transport: (base) => ({
        vet: (url) => base.vet(url),
        async post(url, headers, body) {
          if (url.endsWith('/old') && s) {
            await call(s.app, 'POST', '/cashout/profile', {
              key: s.provider.key,
              body: { endpoint: `${s.receiver.url}/new` },
            })
            return { status: 410, retryAfter: null }
          }
          return base.post(url, headers, body)
        },
      }),
    })
    s = s2
    await call(s.app, 'POST', '/cashout/profile', {
      key: s.provider.key,
      body: { endpoint: `${s.receiver.url}/old` },
    })
    const uuid = await s.cancelledClaim()
    await s.deliver()
    const settings = await call(s.app, 'GET', '/cashout/webhooks', { key: s.provider.key })
    expect(settings.body.enabled).toBe(true)
    expect(s.receiver.received.map((r) => r.path)).toEqual(['/new'])
    expect((await deliveryOf(db, uuid)).status).toBe('delivered')
  })

  test('a delivery being sent cannot be replayed until the send ends', async ({ db }) => {
    let release: (() => void) | undefined
    const s = await scene(db, {
      transport: (base) => ({
        vet: (url) => base.vet(url),
        async post(url, headers, body) {
          await new Promise<void>((resolve) => (release = resolve))
          return base.post(url, headers, body)
        },
      }),
    })
    const uuid = await s.cancelledClaim()
    const d = await deliveryOf(db, uuid)
    const sending = runWebhookBatch({ deps: s.deps, workerId: 'busy' })
    await expect.poll(() => release).toBeDefined()
    const refused = await call(s.app, 'POST', `/cashout/webhooks/deliveries/${d.id}/replay`, {
      key: s.provider.key,
    })
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('delivery_in_flight')
    release?.()
    await sending
    expect((await deliveryOf(db, uuid)).status).toBe('delivered')
    const replayed = await call(s.app, 'POST', `/cashout/webhooks/deliveries/${d.id}/replay`, {
      key: s.provider.key,
    })
    expect(replayed.status).toBe(200)
    expect(replayed.body.status).toBe('pending')
  })

  test('ten failed attempts exhaust a delivery, which stays visible and can be replayed', async ({
    db,
  }) => {
    const s = await scene(db)
    s.receiver.respond = () => 500
    const uuid = await s.cancelledClaim()
    for (let i = 0; i < 12; i++) {
      await s.deliver()
      s.clock.advance(25 * 3600_000)
    }
    const d = await deliveryOf(db, uuid)
    expect(d).toMatchObject({ status: 'exhausted', attempts: 10 })
    expect(s.receiver.received).toHaveLength(10)
    const listed = await call(s.app, 'GET', '/cashout/webhooks/deliveries?status=exhausted', {
      key: s.provider.key,
    })
    expect(listed.body.deliveries.map((x: { id: string }) => x.id)).toEqual([d.id])
    expect(listed.body.deliveries[0].attempts).toHaveLength(10)
    s.receiver.respond = () => 200
    const replayed = await call(s.app, 'POST', `/cashout/webhooks/deliveries/${d.id}/replay`, {
      key: s.provider.key,
    })
    expect(replayed.body.status).toBe('pending')
    await s.deliver()
    expect((await deliveryOf(db, uuid)).status).toBe('delivered')
    expect(s.receiver.received.at(-1)?.headers['webhook-id']).toBe(d.id)
  })

  test('a rotated secret signs beside the old one until the overlap ends', async ({ db }) => {
    const s = await scene(db)
    const rotated = await call(s.app, 'POST', '/cashout/webhooks/secret/rotate', {
      key: s.provider.key,
      body: { overlap_seconds: 60 },
    })
    expect(rotated.body.webhook_secret).toMatch(/^whsec_/)
    await s.cancelledClaim()
    await s.deliver()
    const during = s.receiver.received[0]
    expect(String(during?.headers['webhook-signature']).split(' ')).toHaveLength(2)
    for (const secret of [s.provider.webhookSecret, rotated.body.webhook_secret]) {
      expect(() =>
        new Webhook(secret).verify(during?.body ?? '', headersOf(during as never)),
      ).not.toThrow()
    }
    s.clock.advance(61_000)
    await s.cancelledClaim()
    await s.deliver()
    const after = s.receiver.received[1]
    expect(String(after?.headers['webhook-signature']).split(' ')).toHaveLength(1)
    expect(() =>
      new Webhook(rotated.body.webhook_secret).verify(after?.body ?? '', headersOf(after as never)),
    ).not.toThrow()
    expect(() =>
      new Webhook(s.provider.webhookSecret).verify(after?.body ?? '', headersOf(after as never)),
    ).toThrow()
  })

  test('a worker that dies mid-delivery: the message comes again later with the same id', async ({
    db,
  }) => {
    let calls = 0
    let release: (() => void) | undefined
    const s = await scene(db, {
      transport: (base) => ({
        vet: (url) => base.vet(url),
        async post(url, headers, body) {
          calls += 1
          const response = await base.post(url, headers, body)
          if (calls === 1) await new Promise<void>((resolve) => (release = resolve))
          return response
        },
      }),
    })
    const uuid = await s.cancelledClaim()
    const doomed = runWebhookBatch({ deps: s.deps, workerId: 'doomed' })
    await expect.poll(() => s.receiver.received.length).toBe(1)
    expect(await s.deliver('survivor')).toBe(0)
    s.clock.advance(60_001)
    expect(await s.deliver('survivor')).toBe(1)
    release?.()
    await doomed
    const [a, b] = s.receiver.received
    expect(a?.headers['webhook-id']).toBe(b?.headers['webhook-id'])
    expect(a?.body).toBe(b?.body)
    const d = await deliveryOf(db, uuid)
    expect(d).toMatchObject({ status: 'delivered', attempts: 1 })
  })

  test('nothing is queued when the change itself fails', async ({ db }) => {
    const s = await scene(db)
    const broke = await registerProvider(s.app, { endpoint: `${s.receiver.url}/hook` })
    const refused = await generate(s.app, broke, { amount: 100, id: 'no-float' })
    expect(refused.status).toBe(409)
    expect(await db.selectFrom('webhook_deliveries').select('id').execute()).toEqual([])
  })
})

describe('the SSRF guard at connect time', () => {
  const PROBES = [
    'https://127.0.0.1/hook',
    'https://0x7f.1/hook',
    'https://2130706433/hook',
    'https://127.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:7f00:1]/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.1/hook',
    'https://100.64.0.1/hook',
    'https://[fd00::1]/hook',
    'http://hooks.example.com/hook',
  ]

  test('refuses every probe, even when the endpoint got into the database', async ({ db }) => {
    const s = await scene(db, { allowLoopback: false })
    for (const url of PROBES) {
      await db
        .updateTable('providers')
        .set({ endpoint: url })
        .where('name', '=', s.provider.name)
        .execute()
      const uuid = await s.cancelledClaim()
      await s.deliver()
      const d = await deliveryOf(db, uuid)
      expect(d.last_error, url).toMatch(/^blocked: refused/)
      expect(d.last_status, url).toBeNull()
    }
    expect(s.receiver.received).toEqual([])
  })

  test('resolves names itself and refuses any that point inside', async () => {
    const resolver: Resolver = (host, _options, callback) =>
      callback(
        null,
        host === 'rebind.example.com'
          ? [
              { address: '93.184.216.34', family: 4 },
              { address: '127.0.0.1', family: 4 },
            ]
          : [{ address: '10.1.2.3', family: 4 }],
      )
    const lookup = pinnedLookup(resolver, false)
    for (const host of ['rebind.example.com', 'internal.example.com']) {
      const answer = await new Promise<{ error: unknown; address: unknown }>((resolve) =>
        lookup(host, { all: true }, (error, address) => resolve({ error, address })),
      )
      expect(answer.error, host).toBeInstanceOf(TransportError)
      expect(answer.address, host).toBe('')
    }
    const transport = nodeTransport({ allowLoopback: false, resolver, timeoutMs: 1000 })
    await expect(
      transport.post('https://internal.example.com/hook', {}, '{}'),
    ).rejects.toMatchObject({ kind: 'network', message: 'could not connect' })
    expect(await transport.vet('https://internal.example.com/hook')).toBe(false)
    expect(await transport.vet('https://rebind.example.com/hook')).toBe(false)
  })

  test('connects to the address it checked, not one resolved again', async () => {
    const receiver = await startReceiver()
    onTestFinished(() => receiver.close())
    const asked: string[] = []
    const resolver: Resolver = (host, _options, callback) => {
      asked.push(host)
      callback(null, [{ address: '127.0.0.1', family: 4 }])
    }
    const transport = nodeTransport({ allowLoopback: true, resolver, timeoutMs: 2000 })
    const port = new URL(receiver.url).port
    const response = await transport.post(
      `http://pinned.localhost:${port}/hook`,
      { 'x-probe': '1' },
      '{}',
    )
    expect(response.status).toBe(200)
    expect(asked).toEqual(['pinned.localhost'])
    expect(receiver.received[0]?.headers.host).toBe(`pinned.localhost:${port}`)
  })
})

describe('the SSRF guard when the endpoint is set', () => {
  test('refuses a name that resolves inside, at registration and on update', async ({ db }) => {
    const resolver: Resolver = (host, _options, callback) =>
      callback(
        null,
        host === 'inside.example.com'
          ? [{ address: '10.1.2.3', family: 4 }]
          : [{ address: '93.184.216.34', family: 4 }],
      )
    const { app } = buildTestApp(db, {
      webhooks: nodeTransport({ allowLoopback: false, resolver }),
    })
    const refused = await call(app, 'POST', '/cashout/register', {
      body: registration({ endpoint: 'https://inside.example.com/hook' }),
    })
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'endpoint', message: 'Must not point at a private or internal address.' }],
    })
    const provider = await registerProvider(app, { endpoint: 'https://outside.example.com/hook' })
    const update = await call(app, 'POST', '/cashout/profile', {
      key: provider.key,
      body: { endpoint: 'https://inside.example.com/hook' },
    })
    expect(update.status).toBe(422)
    const settings = await call(app, 'GET', '/cashout/webhooks', { key: provider.key })
    expect(settings.body.endpoint).toBe('https://outside.example.com/hook')
  })
})

describe('the delivery log API', () => {
  test('lists by claim and status with a cursor, sends a test event, and keeps providers apart', async ({
    db,
  }) => {
    const s = await scene(db)
    const claims = [await s.cancelledClaim(), await s.cancelledClaim(), await s.cancelledClaim()]
    const test = await call(s.app, 'POST', '/cashout/webhooks/test', { key: s.provider.key })
    expect(test.status).toBe(201)
    expect(test.body).toMatchObject({ event: 'webhook.test', claim: null, status: 'pending' })
    await s.deliver()
    const testRequest = s.receiver.received.find((r) => r.headers['webhook-id'] === test.body.id)
    expect(
      new Webhook(s.provider.webhookSecret).verify(
        testRequest?.body ?? '',
        headersOf(testRequest as never),
      ),
    ).toMatchObject({ event: 'webhook.test', test: true })

    const page1 = await call(s.app, 'GET', '/cashout/webhooks/deliveries?limit=2', {
      key: s.provider.key,
    })
    const page2 = await call(
      s.app,
      'GET',
      `/cashout/webhooks/deliveries?limit=2&cursor=${page1.body.next_cursor}`,
      { key: s.provider.key },
    )
    expect([...page1.body.deliveries, ...page2.body.deliveries]).toHaveLength(4)
    expect(page2.body.next_cursor).toBeNull()
    const one = await call(s.app, 'GET', `/cashout/webhooks/deliveries?claim=${claims[1]}`, {
      key: s.provider.key,
    })
    expect(one.body.deliveries.map((d: { claim: string }) => d.claim)).toEqual([claims[1]])

    const other = await registerProvider(s.app)
    const foreign = await call(
      s.app,
      'POST',
      `/cashout/webhooks/deliveries/${test.body.id}/replay`,
      { key: other.key },
    )
    expect(foreign.status).toBe(404)
    expect(
      (await call(s.app, 'GET', '/cashout/webhooks/deliveries', { key: other.key })).body
        .deliveries,
    ).toEqual([])
    expect(
      (await call(s.app, 'GET', '/cashout/webhooks/deliveries/msg_x', { key: s.provider.key }))
        .status,
    ).toBe(422)
  })
})
