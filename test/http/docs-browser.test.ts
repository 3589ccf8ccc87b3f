import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { launchChromium, SHOTS, seriousViolations } from '../support/chromium.ts'
import { test } from '../support/fixtures.ts'

const ORIGIN = 'http://cashout.test'
let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
  mkdirSync(join(SHOTS, 'docs'), { recursive: true })
})

afterAll(async () => {
  await browser?.close()
})

/** Text outside `<code>` and `<pre>` that still shows Markdown's backticks. */
function rawBackticks(page: Page) {
  return page.evaluate(() => {
    const found: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('code, pre')) continue
      if (node.textContent?.includes('`')) found.push(node.textContent.slice(0, 80))
    }
    return found
  })
}

describe('the API reference in a browser', () => {
  test('fits a phone and a desktop, shows Markdown, links its contents, and passes axe', async ({
    harness,
  }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const context = await browser.newContext()
    const offsite: string[] = []
    const errors: string[] = []
    // The app answers in-process; anything else the page asks for would be a network fetch.
    await context.route('**/*', async (route) => {
      const request = route.request()
      if (!request.url().startsWith(`${ORIGIN}/`)) {
        offsite.push(request.url())
        return route.abort()
      }
      const res = await harness.app.request(request.url(), {
        method: request.method(),
        headers: request.headers(),
      })
      await route.fulfill({
        status: res.status,
        headers: Object.fromEntries(res.headers),
        body: Buffer.from(await res.arrayBuffer()),
      })
    })
    const page = await context.newPage()
    page.on('console', (m) => {
      // Only what the page's own policy blocks; Chromium also notes that COOP needs https.
      if (m.type() === 'error' && m.text().includes('Content Security Policy')) {
        errors.push(m.text())
      }
    })

    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width > 800 ? 800 : 844 })
      await page.goto(`${ORIGIN}/docs`)
      const size = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth,
      }))
      expect(size.scrollWidth, `at ${width} px`).toBeLessThanOrEqual(size.innerWidth)

      // The introduction's `{"message", …}` is code, and no backtick is left in the prose.
      await expect
        .poll(() => page.locator('.intro .lead code').first().textContent())
        .toContain('"message"')
      expect(await rawBackticks(page)).toEqual([])

      expect(await page.locator('.toc-group').allTextContents()).toEqual(
        expect.arrayContaining(['Providers', 'Claims', 'Schemas']),
      )
      // The document's webhooks section is its own group, one article per event.
      const events = Object.keys(doc.webhooks).length
      expect(events).toBeGreaterThan(0)
      await expect.poll(() => page.locator('#webhooks article').count()).toBe(events)
      expect(await page.locator('.toc-group', { hasText: 'Webhook events' }).count()).toBe(1)
      await page.screenshot({ path: join(SHOTS, 'docs', `top-${width}.png`) })
      // The whole page once (13 s of axe); at the wider width only what the layout changes,
      // the contents sidebar.
      const include = width === 390 ? undefined : ['nav']
      expect(await seriousViolations(context, page, { include }), `at ${width} px`).toEqual([])
    }

    // At desktop width the sidebar lists every operation; following one lands on it.
    await page.getByRole('navigation').getByRole('link', { name: 'Generate a claim' }).click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#generateClaim')
    const top = await page
      .locator('#generateClaim')
      .evaluate((el) => el.getBoundingClientRect().top)
    expect(Math.abs(top)).toBeLessThan(50)

    expect(offsite).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  }, 120_000)
})
