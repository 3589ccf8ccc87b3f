import { describe, expect, onTestFinished } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import { startLoop } from '../../src/jobs/loop.ts'
import {
  TransportError,
  type WebhookResponse,
  type WebhookTransport,
} from '../../src/webhooks/transport.ts'
import { runWebhookBatch, webhookSender } from '../../src/webhooks/worker.ts'
import { buildTestApp } from '../support/app.ts'
import { call, credit, generate, registerProvider, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const CAP = 4
const SLOW = 'https://slow.example.com/hook'
const FAST = 'https://fast.example.com/hook'

/** Resolves when `wanted` holds, checked at every send event: no polling, no sleeping. */
function signal() {
  const waiters: { wanted: () => boolean; resolve: () => void }[] = []
  return {
    until(wanted: () => boolean, label: string, timeoutMs = 5000) {
      if (wanted()) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never happened: ${label}`)), timeoutMs)
        waiters.push({
          wanted,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
    check() {
      for (const w of [...waiters]) {
        if (w.wanted()) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve()
        }
      }
    },
  }
}

/**
 * The slow endpoint never answers until the test lets it (as if the 15 s timeout ended each
 * send); the fast one answers 200 at once. Notes every send and the peak in flight per endpoint;
 * `changed` may be shared, so one wait can watch two transports.
 */
function scriptedTransport(changed = signal()) {
  const hanging: { id: string; settle: (r: WebhookResponse | TransportError) => void }[] = []
  const inFlight = new Map<string, number>()
  const peak = new Map<string, number>()
  const flyingIds = new Set<string>()
  const sent: { url: string; id: string }[] = []
  const twiceAtOnce: string[] = []
  let slowAnswers = false
  const transport: WebhookTransport = {
    vet: async () => true,
    async post(url, headers) {
      const id = headers['webhook-id'] ?? ''
      if (flyingIds.has(id)) twiceAtOnce.push(id)
      flyingIds.add(id)
      sent.push({ url, id })
      const now = (inFlight.get(url) ?? 0) + 1
      inFlight.set(url, now)
      peak.set(url, Math.max(peak.get(url) ?? 0, now))
      changed.check()
      try {
        if (url !== SLOW || slowAnswers) return { status: 200, retryAfter: null }
        const outcome = await new Promise<WebhookResponse | TransportError>((settle) =>
          hanging.push({ id, settle }),
        )
        if (outcome instanceof TransportError) throw outcome
        return outcome
      } finally {
        flyingIds.delete(id)
        inFlight.set(url, (inFlight.get(url) ?? 1) - 1)
        changed.check()
      }
    },
  }
  return {
    transport,
    changed,
    until: changed.until,
    sent,
    twiceAtOnce,
    inFlight: (url: string) => inFlight.get(url) ?? 0,
    peak: (url: string) => peak.get(url) ?? 0,
    /** Every hanging send ends as a timeout would end it. */
    timeOutHanging() {
      for (const h of hanging.splice(0)) h.settle(new TransportError('timeout', 'timed out'))
    },
    /** From now on the slow endpoint answers, and every send still hanging gets its 200. */
    recover() {
      slowAnswers = true
      for (const h of hanging.splice(0)) h.settle({ status: 200, retryAfter: null })
    },
  }
}

async function scene(db: Db) {
  const script = scriptedTransport()
  // Lanes are filled with test events, more than a provider's default budget of on-demand
  // sends (test/webhooks/budget.test.ts holds that budget).
  const built = buildTestApp(db, {
    webhooks: script.transport,
    env: { WEBHOOK_SEND_BUDGET: '1000' },
  })
  onTestFinished(() => script.recover())
  const slow = await registerProvider(built.app, { endpoint: SLOW })
  const fast = await registerProvider(built.app, { endpoint: FAST })
  await credit(built.app, fast.name, 1_000_000)
  const queueTests = async (provider: TestProvider, count: number) => {
    for (let i = 0; i < count; i++) {
      const reply = await call(built.app, 'POST', '/cashout/webhooks/test', { key: provider.key })
      expect(reply.status).toBe(201)
    }
  }
  const cancelledClaim = async () => {
    const claim = (await generate(built.app, fast, { amount: 100, id: `c-${Math.random()}` })).body
    const cancelled = await call(built.app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, {
      key: fast.key,
    })
    expect(cancelled.status).toBe(200)
    return claim.uuid as string
  }
  const statusOf = async (claimId: string) =>
    (
      await db
        .selectFrom('webhook_deliveries')
        .select('status')
        .where('claim_id', '=', claimId)
        .executeTakeFirstOrThrow()
    ).status
  const leasedCount = async (provider: TestProvider) => {
    const row = await db
      .selectFrom('webhook_deliveries')
      .innerJoin('providers', 'providers.id', 'webhook_deliveries.provider_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('providers.name', '=', provider.name)
      .where('lease_owner', 'is not', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  return { ...built, script, slow, fast, queueTests, cancelledClaim, statusOf, leasedCount }
}

/** The Node worker's shape: a loop of rounds, woken by new events and by its sender. */
function startWorker(s: Awaited<ReturnType<typeof scene>>, workerId: string) {
  const sender = webhookSender({
    deps: s.deps,
    workerId,
    perEndpoint: CAP,
    wake: () => loop.wake(),
  })
  const loop = startLoop('test webhook worker', () => sender.round(), 1000, s.deps.logger)
  // The app reads its deps on every request, so verbs that queue a webhook wake this loop.
  s.deps.wakeWebhooks = () => loop.wake()
  const stop = async () => {
    await loop.stop()
    await sender.drain()
  }
  onTestFinished(async () => {
    s.script.recover()
    await stop()
  })
  return { sender, stop }
}

describe('one endpoint that never answers', () => {
  test("does not hold back another provider's webhook, and holds only its cap of sends", async ({
    db,
  }) => {
    const s = await scene(db)
    await s.queueTests(s.slow, 50)
    const worker = startWorker(s, 'isolated')
    await s.script.until(() => s.script.inFlight(SLOW) === CAP, 'the slow endpoint is full')

    const uuid = await s.cancelledClaim()
    await s.script.until(
      () => s.script.sent.some((x) => x.url === FAST),
      "the other provider's claim.cancelled is sent",
    )
    // Sent while every slow send still hangs, and recorded at once.
    expect(s.script.inFlight(SLOW)).toBe(CAP)
    await expect.poll(() => s.statusOf(uuid)).toBe('delivered')
    // The slow lane holds its cap of sends and as many waiting behind them; the rest stay free
    // for other workers.
    expect(await s.leasedCount(s.slow)).toBe(2 * CAP)
    expect(worker.sender.held()).toBe(2 * CAP)

    // Each timeout frees a slot for the next of the backlog, never more than the cap at once.
    s.script.timeOutHanging()
    await s.script.until(
      () => s.script.sent.filter((x) => x.url === SLOW).length === 2 * CAP,
      'the next slow sends start',
    )
    expect(s.script.inFlight(SLOW)).toBe(CAP)
    s.script.recover()
    // The first CAP timed out and wait for their retry; the rest of the backlog goes through.
    await s.script.until(
      () => s.script.sent.filter((x) => x.url === SLOW).length === 50,
      'the backlog is sent',
    )
    await worker.stop()
    expect(s.script.peak(SLOW)).toBe(CAP)
    expect(s.script.twiceAtOnce).toEqual([])
    expect(new Set(s.script.sent.map((x) => x.id)).size).toBe(s.script.sent.length)
    const statuses = await db
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts'])
      .where('event_type', '=', 'webhook.test')
      .execute()
    expect(statuses.filter((d) => d.status === 'delivered')).toHaveLength(50 - CAP)
    expect(statuses.filter((d) => d.status === 'pending' && d.attempts === 1)).toHaveLength(CAP)
  })

  test('stopping hands back what waits, then waits for the sends in flight and records them', async ({
    db,
  }) => {
    const s = await scene(db)
    await s.queueTests(s.slow, 3 * CAP)
    const worker = startWorker(s, 'stopping')
    await s.script.until(() => s.script.inFlight(SLOW) === CAP, 'the slow endpoint is full')
    expect(worker.sender.held()).toBe(2 * CAP)
    let stopped = false
    const stopping = worker.stop().then(() => {
      stopped = true
    })
    await s.cancelledClaim()
    // The loop stops leasing; the hanging sends keep it from finishing.
    await expect.poll(() => s.leasedCount(s.slow)).toBe(CAP)
    expect(stopped).toBe(false)
    s.script.recover()
    await stopping
    expect(s.script.sent).toHaveLength(CAP)
    const rows = await db
      .selectFrom('webhook_deliveries')
      .select(['status', 'attempts', 'lease_owner'])
      .execute()
    const count = (status: string, attempts: number) =>
      rows.filter((r) => r.status === status && r.attempts === attempts && r.lease_owner === null)
        .length
    expect(count('delivered', 1)).toBe(CAP)
    // The ones that waited, the one never leased and the claim.cancelled: ready for any worker.
    expect(count('pending', 0)).toBe(2 * CAP + 1)
  })

  test('two processes side by side send each message once, each within its cap', async ({ db }) => {
    const s = await scene(db)
    await s.queueTests(s.slow, 3 * CAP)
    await s.queueTests(s.fast, 3 * CAP)
    const second = scriptedTransport(s.script.changed)
    onTestFinished(() => second.recover())
    const one = startWorker(s, 'one')
    const twoSender = webhookSender({
      deps: { ...s.deps, webhooks: second.transport },
      workerId: 'two',
      perEndpoint: CAP,
      wake: () => twoLoop.wake(),
    })
    const twoLoop = startLoop('second webhook worker', () => twoSender.round(), 1000, s.deps.logger)
    onTestFinished(async () => {
      await twoLoop.stop()
      await twoSender.drain()
    })
    const slowSends = () => [...s.script.sent, ...second.sent].filter((x) => x.url === SLOW).length
    await s.script.until(() => s.script.inFlight(SLOW) === CAP, 'the first process fills up')
    await second.until(() => second.inFlight(SLOW) === CAP, 'the second process fills up')
    expect(slowSends()).toBe(2 * CAP)
    s.script.recover()
    second.recover()
    twoLoop.wake()
    await s.script.until(() => slowSends() === 3 * CAP, 'the rest of the slow backlog')
    await one.stop()
    await twoLoop.stop()
    await twoSender.drain()
    const all = [...s.script.sent, ...second.sent]
    expect(all.filter((x) => x.url === FAST)).toHaveLength(3 * CAP)
    expect(all.filter((x) => x.url === SLOW)).toHaveLength(3 * CAP)
    expect(new Set(all.map((x) => x.id)).size).toBe(6 * CAP)
    expect(s.script.peak(SLOW)).toBeLessThanOrEqual(CAP)
    expect(second.peak(SLOW)).toBeLessThanOrEqual(CAP)
  })
})

describe('a batch that waits for its sends (the Workers cron tick)', () => {
  test('takes at most the cap from one endpoint, and sends the others beside it', async ({
    db,
  }) => {
    const s = await scene(db)
    await s.queueTests(s.slow, 50)
    const uuid = await s.cancelledClaim()
    const batch = runWebhookBatch({ deps: s.deps, workerId: 'tick', perEndpoint: CAP })
    await s.script.until(
      () => s.script.inFlight(SLOW) === CAP && s.script.sent.some((x) => x.url === FAST),
      'the batch is under way',
    )
    await expect.poll(() => s.statusOf(uuid)).toBe('delivered')
    s.script.recover()
    expect(await batch).toBe(CAP + 1)
    expect(s.script.peak(SLOW)).toBe(CAP)
  })
})
