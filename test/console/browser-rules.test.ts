import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { displayMoney } from '../../src/page/format.ts'
import {
  joinInBrowser,
  launchChromium,
  newContext,
  seriousViolations,
  shotBoth,
} from '../support/chromium.ts'
import { call, registerProvider } from '../support/client.ts'
import { PASSWORD, uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import { payoutHarness } from '../support/payouts.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

async function expectAccessible(context: BrowserContext, page: Page) {
  expect(await seriousViolations(context, page)).toEqual([])
}

/** Types a rule into the form as a person would: by the labels they read. */
async function typeRule(page: Page) {
  await page.getByLabel('Points', { exact: true }).fill('100')
  await page.getByLabel('Cash', { exact: true }).fill('1.50')
  await page.getByLabel('Fixed fee').fill('0.20')
  await page.getByLabel('Percentage fee').fill('2.5')
  await page.getByLabel('Who pays the fee').selectOption('customer')
  await page.getByLabel('Minimum points').fill('500')
}

const receivesIn = (text: string | null) =>
  /Customer receives (\$[\d,]+\.\d\d)/.exec(text ?? '')?.[1]

/** A signed-in owner on the Rules page, in a browser with or without JavaScript. */
async function ownerOnRules(db: Parameters<typeof payoutHarness>[0], javaScript = true) {
  const h = await payoutHarness(db)
  const provider = await registerProvider(h.app)
  const context = await newContext(browser, { javaScript })
  const page = await context.newPage()
  const email = uniqueEmail()
  await joinInBrowser(page, provider.consoleSetupUrl, email)
  await page.getByRole('link', { name: 'Rules' }).click()
  await page.getByRole('heading', { name: 'Rules', level: 1 }).waitFor()
  return { h, provider, context, page, email }
}

async function quotedNet(
  h: Awaited<ReturnType<typeof payoutHarness>>,
  key: string,
  points: number,
) {
  const q = await call(h.app, 'POST', '/cashout/quote', { key, body: { points } })
  expect(q.status).toBe(200)
  return displayMoney(BigInt(q.body.net_minor), 'AUD')
}

describe('console rules in a browser', () => {
  test('the setup link turns into a signed-in owner on the overview', async ({ db }) => {
    const h = await payoutHarness(db)
    const provider = await registerProvider(h.app)
    const context = await newContext(browser)
    const page = await context.newPage()

    await page.goto(`${h.cashoutUrl}/console/sign-in`)
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    await shotBoth(page, 'setup-sign-in')
    await expectAccessible(context, page)

    await page.goto(provider.consoleSetupUrl)
    await page.getByRole('button', { name: 'Create account' }).waitFor()
    await shotBoth(page, 'setup-join')
    await expectAccessible(context, page)

    const email = uniqueEmail()
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/console')
    await expect.poll(() => page.textContent('body')).toContain(`${email} (owner)`)
    await shotBoth(page, 'setup-overview')
    await expectAccessible(context, page)
    await context.close()
  })

  test('a rule typed with the live preview agrees with /cashout/quote and saves as version 2', async ({
    db,
  }) => {
    const { h, provider, context, page, email } = await ownerOnRules(db)
    await typeRule(page)
    const preview = page.locator('#rule-preview')
    expect(await preview.getAttribute('aria-live')).toBe('polite')

    // Below the minimum the preview says so before anything is saved.
    await page.getByLabel('Try points').fill('100')
    await expect.poll(() => preview.textContent()).toContain('Below the minimum')

    await page.getByLabel('Try points').fill('2500')
    await expect.poll(async () => receivesIn(await preview.textContent())).toBeDefined()
    const shown = receivesIn(await preview.textContent())
    // Typing only previews: the page was never reloaded and nothing is saved yet.
    expect(new URL(page.url()).pathname).toBe('/console/rules')
    const before = await call(h.app, 'GET', '/cashout/rules', { key: provider.key })
    expect(before.body.version).toBe(1)

    await page.getByRole('button', { name: 'Save rule' }).click()
    await page.getByText('Saved as version 2.').waitFor()
    expect(shown).toBe(await quotedNet(h, provider.key, 2500))
    expect(shown).toBe('$36.37')

    const history = page.locator('.rule-history > li').first()
    const latest = await history.textContent()
    expect(latest).toContain('Version 2')
    expect(latest).toContain(email)
    expect(latest).toContain('Rate: 1 point gives $0.01 → 100 points give $1.50')
    expect(latest).toContain('Percentage fee: 0% → 2.5%')

    await page.getByLabel('Try points').fill('12500')
    await expect
      .poll(async () => receivesIn(await preview.textContent()))
      .toBe(await quotedNet(h, provider.key, 12_500))
    await shotBoth(page, 'rules')
    await expectAccessible(context, page)

    await page.getByLabel('Cash', { exact: true }).fill('abc')
    await page.getByLabel('Maximum points').fill('10')
    await page.getByRole('button', { name: 'Save rule' }).click()
    await page.getByText('There is a problem').waitFor()
    await shotBoth(page, 'rules-errors')
    await expectAccessible(context, page)
    await context.close()
  })

  test('without JavaScript the Preview button shows the same figure', async ({ db }) => {
    const { h, provider, context, page } = await ownerOnRules(db, false)
    await typeRule(page)
    await page.getByLabel('Try points').fill('2500')
    await page.getByRole('button', { name: 'Preview' }).click()
    await page.getByText('Customer receives').waitFor()
    const shown = receivesIn(await page.locator('#rule-preview').textContent())
    // The preview page keeps what was typed, ready to save.
    expect(await page.getByLabel('Cash', { exact: true }).inputValue()).toBe('1.50')
    await shotBoth(page, 'rules-preview-no-js')
    await expectAccessible(context, page)

    await page.getByRole('button', { name: 'Save rule' }).click()
    await page.getByText('Saved as version 2.').waitFor()
    expect(shown).toBe(await quotedNet(h, provider.key, 2500))
    await context.close()
  })
})
