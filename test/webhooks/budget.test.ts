import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import type { Db } from '../../src/db/schema.ts'
import { memoryRateLimiter } from '../../src/page/rate-limit.ts'
import { buildTestApp } from '../support/app.ts'
import { call, expectError, type Reply, registerProvider } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

const BUDGET = 20
const WINDOW_MS = 10 * 60_000

/** The app with a limiter whose time the test moves, so a window can pass at once. */
function budgetScene(db: Db) {
  let now = Date.parse('2026-03-01T00:00:00Z')
  const built = buildTestApp(db, { limiter: memoryRateLimiter(() => now) })
  return { ...built, pass: (ms: number) => (now += ms) }
}

const testSend = (app: App, key: string) => call(app, 'POST', '/cashout/webhooks/test', { key })
const replay = (app: App, key: string, id: string) =>
  call(app, 'POST', `/cashout/webhooks/deliveries/${id}/replay`, { key })
const changeEndpoint = (app: App, key: string, n: number) =>
  call(app, 'POST', '/cashout/profile', {
    key,
    body: { endpoint: `https://hooks-${n}.example.com/cashout` },
  })

function expectOverBudget(reply: Reply) {
  expectError(reply, 429, 'rate_limited')
  expect(reply.body.message).toMatch(/test events, replays and endpoint changes/)
  expect(reply.body.message).toContain(`${BUDGET}`)
  const wait = Number(reply.headers.get('retry-after'))
  expect(wait).toBeGreaterThan(0)
  expect(wait).toBeLessThanOrEqual(WINDOW_MS / 1000)
}

async function testDeliveries(db: Db) {
  return db
    .selectFrom('webhook_deliveries')
    .select(['id', 'status', 'attempts'])
    .where('event_type', '=', 'webhook.test')
    .execute()
}

describe('the outbound budget: what a provider can make Cashout send on demand', () => {
  test('40 parallel test sends queue 20; the rest are 429 with Retry-After, and another provider is untouched', async ({
    db,
  }) => {
    const s = budgetScene(db)
    const abuser = await registerProvider(s.app)
    const other = await registerProvider(s.app)

    const replies = await Promise.all(Array.from({ length: 40 }, () => testSend(s.app, abuser.key)))
    expect(replies.filter((r) => r.status === 201)).toHaveLength(BUDGET)
    for (const reply of replies.filter((r) => r.status !== 201)) expectOverBudget(reply)
    expect(await testDeliveries(db)).toHaveLength(BUDGET)

    expect((await testSend(s.app, other.key)).status).toBe(201)

    // The window passes, and the budget with it.
    s.pass(WINDOW_MS)
    expect((await testSend(s.app, abuser.key)).status).toBe(201)
  })

  test('test sends, replays and endpoint changes share one budget; other profile changes are free', async ({
    db,
  }) => {
    const s = budgetScene(db)
    const provider = await registerProvider(s.app)
    const ids: string[] = []
    for (let i = 0; i < 10; i++) ids.push((await testSend(s.app, provider.key)).body.id)
    for (const id of ids.slice(0, 5))
      expect((await replay(s.app, provider.key, id)).status).toBe(200)
    for (let i = 0; i < 5; i++) {
      expect((await changeEndpoint(s.app, provider.key, i)).status).toBe(200)
    }

    expectOverBudget(await testSend(s.app, provider.key))
    expectOverBudget(await replay(s.app, provider.key, ids[0] ?? ''))
    const refused = await changeEndpoint(s.app, provider.key, 99)
    expectOverBudget(refused)
    const profile = await call(s.app, 'GET', '/cashout/profile', { key: provider.key })
    expect(profile.body.endpoint).toBe('https://hooks-4.example.com/cashout')

    const colour = await call(s.app, 'POST', '/cashout/profile', {
      key: provider.key,
      body: { accent_colour: '#123456' },
    })
    expect(colour.status).toBe(200)
  })

  test('a replay restarts an exhausted delivery’s ten attempts only within the budget', async ({
    db,
  }) => {
    const s = budgetScene(db)
    const provider = await registerProvider(s.app)
    for (let i = 0; i < BUDGET; i++) expect((await testSend(s.app, provider.key)).status).toBe(201)
    await db
      .updateTable('webhook_deliveries')
      .set({ status: 'exhausted', attempts: 10 })
      .where('event_type', '=', 'webhook.test')
      .execute()

    const [first] = await testDeliveries(db)
    expectOverBudget(await replay(s.app, provider.key, first?.id ?? ''))
    expect(await testDeliveries(db)).toEqual(
      Array.from({ length: BUDGET }, () =>
        expect.objectContaining({ status: 'exhausted', attempts: 10 }),
      ),
    )

    s.pass(WINDOW_MS)
    const replayed = await Promise.all(
      (await testDeliveries(db)).map((d) => replay(s.app, provider.key, d.id)),
    )
    expect(replayed.every((r) => r.status === 200)).toBe(true)
    expectOverBudget(await replay(s.app, provider.key, first?.id ?? ''))
    expect((await testDeliveries(db)).filter((d) => d.status === 'pending')).toHaveLength(BUDGET)
  })

  test('the console’s test send, replay and endpoint change spend the same budget', async ({
    db,
  }) => {
    const s = budgetScene(db)
    const { provider, browser } = await ownerOf(s.app)
    const id = (await testSend(s.app, provider.key)).body.id
    await browser.open('/console/webhooks')
    expect((await browser.submit('/console/webhooks/test')).status).toBe(303)
    expect((await browser.submit(`/console/webhooks/deliveries/${id}/replay`)).status).toBe(303)
    expect(
      (
        await browser.submit('/console/webhooks/endpoint', {
          endpoint: 'https://hooks-console.example.com/cashout',
        })
      ).status,
    ).toBe(303)
    for (let i = 4; i < BUDGET; i++) expect((await testSend(s.app, provider.key)).status).toBe(201)

    for (const [path, fields] of [
      ['/console/webhooks/test', {}],
      [`/console/webhooks/deliveries/${id}/replay`, {}],
      ['/console/webhooks/endpoint', { endpoint: 'https://hooks-late.example.com/cashout' }],
    ] as const) {
      await browser.open('/console/webhooks')
      const page = await browser.submit(path, fields)
      expect(page.status).toBe(429)
      expect(page.html).toMatch(/test events, replays and endpoint changes/)
      expect(page.headers.get('retry-after')).toMatch(/^\d+$/)
    }
    const profile = await call(s.app, 'GET', '/cashout/profile', { key: provider.key })
    expect(profile.body.endpoint).toBe('https://hooks-console.example.com/cashout')
  })
})
