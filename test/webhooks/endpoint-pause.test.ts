import { describe, expect } from 'vitest'
import { manualClock } from '../../src/clock.ts'
import type { Db } from '../../src/db/schema.ts'
import { ENDPOINT_FAILURES_BEFORE_PAUSE } from '../../src/webhooks/schedule.ts'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import { runWebhookBatch, SENDS_PER_ENDPOINT } from '../../src/webhooks/worker.ts'
import { buildTestApp } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, registerProvider, type TestProvider } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

const FAILING = 'https://victim.example.com/'
const HEALTHY = 'https://hooks.example.com/hook'

/** Endpoints by URL: each answers what the test says, and every request is counted. */
function endpoints() {
  const answer = new Map<string, number>([
    [FAILING, 500],
    [HEALTHY, 200],
  ])
  const hits = new Map<string, number>()
  const transport: WebhookTransport = {
    vet: async () => true,
    async post(url) {
      hits.set(url, (hits.get(url) ?? 0) + 1)
      return { status: answer.get(url) ?? 500, retryAfter: null }
    },
  }
  return { transport, answer, hits: (url: string) => hits.get(url) ?? 0 }
}

async function scene(db: Db) {
  const ends = endpoints()
  const clock = manualClock(new Date())
  const built = buildTestApp(db, {
    clock,
    webhooks: ends.transport,
    env: { WEBHOOK_SEND_BUDGET: '1000' },
  })
  const victim = await registerProvider(built.app, { endpoint: FAILING })
  const other = await registerProvider(built.app, { endpoint: HEALTHY })
  const queue = async (provider: TestProvider, count: number) => {
    for (let i = 0; i < count; i++) {
      const reply = await call(built.app, 'POST', '/cashout/webhooks/test', { key: provider.key })
      expect(reply.status).toBe(201)
    }
  }
  /** Every round the worker would run at this moment, until one leases nothing. */
  const drain = async () => {
    while ((await runWebhookBatch({ deps: built.deps, workerId: 'w' })) > 0) {}
  }
  return { ...built, ...ends, clock, victim, other, queue, drain }
}

describe('an endpoint that keeps failing is paused, so Cashout cannot be made to flood it', () => {
  test('failing on for 30 s it is paused: one probe at a time, 30 s then doubling; others flow', async ({
    db,
  }) => {
    const s = await scene(db)
    const paused = async () =>
      (await call(s.app, 'GET', '/cashout/webhooks', { key: s.victim.key })).body.paused_until
    await s.queue(s.victim, 100)
    await s.queue(s.other, 40)
    await s.drain()
    // A receiver down for a moment is not paused: each message has its first try and its retry.
    s.clock.advance(6_000)
    await s.drain()
    expect(s.hits(FAILING)).toBe(200)
    expect(await paused()).toBeNull()
    // The healthy endpoint got every one of its messages meanwhile.
    expect(s.hits(HEALTHY)).toBe(40)

    // Still failing 30 s on: the next failures pause it, whatever more is queued.
    s.clock.set(new Date(s.clock.now().getTime() + 25_000))
    await s.queue(s.victim, 100)
    await s.drain()
    const burst = s.hits(FAILING)
    expect(burst).toBeGreaterThan(200)
    expect(burst).toBeLessThanOrEqual(200 + SENDS_PER_ENDPOINT)
    expect(await paused()).toEqual(expect.any(String))
    expect(ENDPOINT_FAILURES_BEFORE_PAUSE).toBeLessThan(200)

    // 30 s on: one probe, which fails; then the pause doubles.
    s.clock.advance(31_000)
    await s.drain()
    expect(s.hits(FAILING)).toBe(burst + 1)
    s.clock.advance(35_000)
    await s.drain()
    expect(s.hits(FAILING)).toBe(burst + 1)
    s.clock.advance(30_000)
    await s.drain()
    expect(s.hits(FAILING)).toBe(burst + 2)

    // Waiting spent none of the messages' attempts: most of the later ones were never tried.
    const untried = await db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('attempts', '=', 0)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow()
    expect(Number(untried.n)).toBeGreaterThan(100 - SENDS_PER_ENDPOINT - 2)

    // The endpoint recovers: the next probe succeeds and every waiting message follows.
    s.answer.set(FAILING, 200)
    s.clock.advance(125_000)
    // Long enough for the first messages' second retry (30 min ± 20%) to come due.
    for (let i = 0; i < 8; i++) {
      await s.drain()
      s.clock.advance(5 * 60_000)
    }
    const left = await db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '!=', 'delivered')
      .executeTakeFirstOrThrow()
    expect(Number(left.n)).toBe(0)
  })

  test('the provider sees the pause and when the next try is; a new endpoint starts afresh', async ({
    db,
  }) => {
    const s = await scene(db)
    await s.queue(s.victim, ENDPOINT_FAILURES_BEFORE_PAUSE + 5)
    await s.drain()
    s.clock.advance(31_000)
    await s.queue(s.victim, 1)
    await s.drain()
    const paused = await call(s.app, 'GET', '/cashout/webhooks', { key: s.victim.key })
    expect(paused.body.paused_until).toEqual(expect.any(String))
    expect(new Date(paused.body.paused_until).getTime()).toBeGreaterThan(s.clock.now().getTime())
    expect(paused.body.failing_attempts).toBeGreaterThanOrEqual(ENDPOINT_FAILURES_BEFORE_PAUSE)

    const { browser } = await ownerOf(s.app, s.victim)
    const page = textOf((await browser.open('/console/webhooks')).html)
    expect(page).toContain(
      `Paused: the endpoint failed its last ${paused.body.failing_attempts} attempts.`,
    )

    const changed = await call(s.app, 'POST', '/cashout/profile', {
      key: s.victim.key,
      body: { endpoint: HEALTHY },
    })
    expect(changed.status).toBe(200)
    const fresh = await call(s.app, 'GET', '/cashout/webhooks', { key: s.victim.key })
    expect(fresh.body).toMatchObject({ paused_until: null, failing_attempts: 0 })
    await s.drain()
    expect(s.hits(HEALTHY)).toBeGreaterThan(0)
  })
})
