import { describe, expect } from 'vitest'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, fundedProvider, generate, liveOf } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import { claimWith, PAYID, payoutHarness } from '../support/payouts.ts'

describe('the overview', () => {
  test('a new provider: empty floats, no claims, and a sentence instead of an empty chart', async ({
    harness,
  }) => {
    const { browser } = await ownerOf(harness.app)
    const text = textOf((await browser.open('/console')).html)
    expect(text).toContain('Float available $0.00')
    expect(text).toContain('Reserved for open claims $0.00')
    expect(text).toContain('No cash paid out in the last 30 days.')
    expect(text).not.toContain('Needs attention')
  })

  test('counts claims by status, charts what was paid today, and shows the floats', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const provider = await fundedProvider(h.app, 100_000)
    const paid = await claimWith(h, provider, 'paid-1', PAYID, 2500)
    await h.drain()
    await h.waitForClaim(provider, paid, 'settled')
    await generate(h.app, provider, { amount: 1000, id: 'open-1' })
    const { browser } = await ownerOf(h.app, provider)
    const page = await browser.open('/console')
    const text = textOf(page.html)
    // 1,000.00 credited − 25.00 paid − 10.00 reserved for the open claim.
    expect(text).toContain('Float available $965.00')
    expect(text).toContain('Reserved for open claims $10.00')
    expect(text).toMatch(/Open 1 1 1/)
    expect(text).toMatch(/Paid 1 1 1/)
    expect(page.html).toContain('Cash paid out per day for the last 30 days: $25.00 in all.')
    expect(text).toContain('$25.00 paid out in the last 30 days.')
    // The table beside the chart has the figure for today, and every other day says $0.00.
    const days = [...page.html.matchAll(/<td class="num">(\$[\d,.]+)<\/td>/g)].map((m) => m[1])
    expect(days).toHaveLength(30)
    expect(days.filter((d) => d === '$25.00')).toHaveLength(1)
    expect(days.at(-1)).toBe('$25.00')
  })

  test('lists what needs attention: webhooks off, a low float, a suspension', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    expect(textOf((await browser.open('/console')).html)).not.toContain('Needs attention')
    await call(harness.app, 'PUT', '/cashout/float/alert', {
      key: provider.key,
      body: { threshold_minor: 5000 },
    })
    await db
      .updateTable('providers')
      .set({
        webhook_disabled_at: new Date(),
        webhook_disabled_reason: 'The endpoint answered 410 Gone.',
        suspended_at: new Date(),
        suspended_reason: 'Card under review',
      })
      .where('name', '=', provider.name)
      .execute()
    const text = textOf((await browser.open('/console')).html)
    expect(text).toContain('Needs attention')
    expect(text).toContain('The operator has suspended this provider')
    expect(text).toContain('Webhooks are turned off for your endpoint.')
    expect(text).toContain('The float is below $50.00.')
  })

  test('shows only the mode it is looking at', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const provider = await fundedProvider(app, 70_000, true)
    await generate(app, liveOf(provider), { amount: 1200, id: 'live-1' })
    const { browser } = await ownerOf(app, provider)
    const testView = textOf((await browser.open('/console')).html)
    expect(testView).toContain('Float available $700.00')
    expect(testView).toMatch(/Open 0 0 0/)
    await browser.submit('/console/mode', { mode: 'live', back: '/console' })
    const live = textOf((await browser.open('/console')).html)
    expect(live).toContain('Live data')
    expect(live).toContain('Float available $688.00')
    expect(live).toContain('Reserved for open claims $12.00')
    expect(live).toMatch(/Open 1 1 1/)
  })
})
