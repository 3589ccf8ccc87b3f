import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { launchChromium, SHOTS, seriousViolations } from '../support/chromium.ts'
import { balance, call, fundedProvider, generate, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { type PayoutHarness, payoutHarness } from '../support/payouts.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

interface Scene {
  h: PayoutHarness
  provider: TestProvider
  uuid: string
  url: string
  context: BrowserContext
  page: Page
}

/** A funded provider, one claim, a running payout worker, and a phone-sized browser on the link. */
async function scene(
  db: Parameters<typeof payoutHarness>[0],
  options: { javaScript?: boolean; amount?: number } = {},
): Promise<Scene> {
  const h = await payoutHarness(db)
  h.startWorker()
  const provider = await fundedProvider(h.app, 1_000_000)
  const claim = (
    await generate(h.app, provider, { amount: options.amount ?? 2500, id: `b-${Math.random()}` })
  ).body
  const context = await browser.newContext({
    viewport: { width: 320, height: 640 },
    javaScriptEnabled: options.javaScript ?? true,
  })
  const page = await context.newPage()
  await page.goto(claim.url)
  return { h, provider, uuid: claim.uuid, url: claim.url, context, page }
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

async function fillBank(page: Page, values: { name: string; bsb: string; account: string }) {
  await page.getByLabel('To a bank account').check()
  await page.getByLabel('Account name').fill(values.name)
  await page.getByLabel('BSB').fill(values.bsb)
  await page.getByLabel('Account number').fill(values.account)
}

async function fillPayId(page: Page, type: string, payid: string) {
  await page.getByLabel('To a PayID').check()
  await page.getByLabel('PayID type').selectOption({ label: type })
  await page.getByLabel('PayID', { exact: true }).fill(payid)
}

describe('the claim page in a browser', () => {
  test('PayID to paid, with the float moved', async ({ db }) => {
    const s = await scene(db)
    await shot(s.page, 'form')
    expect(await seriousViolations(s.context, s.page)).toEqual([])
    await fillPayId(s.page, 'Mobile number', '0412 345 678')
    await s.page.getByRole('button', { name: 'Continue' }).click()
    await expect
      .poll(() => s.page.getByRole('heading', { name: 'Check your details' }).count())
      .toBe(1)
    await expect.poll(() => s.page.locator('dd').allTextContents()).toContain('+61-412345678')
    await shot(s.page, 'review-payid')
    expect(await seriousViolations(s.context, s.page)).toEqual([])
    await s.page.getByRole('button', { name: 'Cash out' }).click()
    await s.page.getByRole('heading', { name: /Sending your money|Paid/ }).waitFor()
    await shot(s.page, 'processing')
    await s.page.getByRole('heading', { name: 'Paid' }).waitFor({ timeout: 15_000 })
    await shot(s.page, 'paid')
    expect(await seriousViolations(s.context, s.page)).toEqual([])
    expect(await s.page.locator('.status').textContent()).toContain('+61-4••••5678')
    expect(await balance(s.h.app, s.provider)).toMatchObject({
      paid_out_minor: 2500,
      reserved_minor: 0,
    })
    await s.context.close()
  })

  test('bank account to paid; only the chosen fields show', async ({ db }) => {
    const s = await scene(db)
    expect(await s.page.getByLabel('BSB').isVisible()).toBe(false)
    await fillBank(s.page, { name: " Mary  O'Brien ", bsb: '062000', account: '12345678' })
    expect(await s.page.getByLabel('PayID', { exact: true }).isVisible()).toBe(false)
    await s.page.getByRole('button', { name: 'Continue' }).click()
    const review = await s.page.locator('.summary').textContent()
    expect(review).toContain("Mary O'Brien")
    expect(review).toContain('062-000')
    expect(review).toContain('••••5678')
    expect(review).not.toContain('12345678')
    await shot(s.page, 'review-bank')
    await s.page.getByRole('button', { name: 'Cash out' }).click()
    await s.page.getByRole('heading', { name: 'Paid' }).waitFor({ timeout: 15_000 })
    const read = await call(s.h.app, 'GET', `/cashout/claims/${s.uuid}`, { key: s.provider.key })
    expect(read.body).toMatchObject({
      status: 'settled',
      payout: { destination: { bsb: '062-000', account_number: '••••5678' } },
    })
    await s.context.close()
  })

  test('every validation message, announced and focused, with values kept', async ({ db }) => {
    const s = await scene(db)
    const cases: [() => Promise<void>, string, string][] = [
      [
        () => fillBank(s.page, { name: 'Mary-Jane', bsb: '062000', account: '12345678' }),
        'Account name',
        'apostrophes only',
      ],
      [
        () => fillBank(s.page, { name: 'Mary', bsb: '06200', account: '12345678' }),
        'BSB',
        'A BSB has 6 digits',
      ],
      [
        () => fillBank(s.page, { name: 'Mary', bsb: '062-000', account: '123' }),
        'Account number',
        '4 to 9 digits',
      ],
      [
        () => fillBank(s.page, { name: 'Ｍａｒｙ', bsb: '062000', account: '1234' }),
        'Account name',
        'full-width',
      ],
      [() => fillPayId(s.page, 'Email address', 'jane@'), 'PayID', 'email address like'],
      [
        () => fillPayId(s.page, 'Email address', 'ja\u200bne@example.com'),
        'PayID',
        'invisible characters',
      ],
      [() => fillPayId(s.page, 'Mobile number', '02 1234 5678'), 'PayID', 'Australian mobile'],
      [() => fillPayId(s.page, 'Mobile number', '０４１２３４５６７８'), 'PayID', 'full-width'],
      [() => fillPayId(s.page, 'ABN', '1234'), 'PayID', '11 digits'],
      [() => fillPayId(s.page, 'ABN', '12 345 678 901'), 'PayID', 'not a valid ABN'],
      [() => fillPayId(s.page, 'Organisation ID', '!'), 'PayID', 'organisation ID'],
      [() => fillPayId(s.page, 'Email address', ''), 'PayID', 'Enter your PayID'],
    ]
    let index = 0
    for (const [fill, label, message] of cases) {
      await fill()
      const typed = await s.page.getByLabel(label, { exact: true }).inputValue()
      await s.page.getByRole('button', { name: 'Continue' }).click()
      const summary = s.page.getByRole('alert')
      await expect.poll(() => summary.textContent()).toContain(message)
      expect(
        await s.page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary')),
      ).toBe(true)
      const field = s.page.getByLabel(label, { exact: true })
      expect(await field.getAttribute('aria-invalid')).toBe('true')
      expect(await field.inputValue()).toBe(typed)
      expect(await s.page.title()).toMatch(/^Error: /)
      if (index === 0) {
        await shot(s.page, 'errors')
        expect(await seriousViolations(s.context, s.page)).toEqual([])
      }
      index += 1
    }
    await s.context.close()
  })

  test('after a fixable failure the form comes back to use a different account', async ({ db }) => {
    const s = await scene(db)
    await fillBank(s.page, { name: 'Jane Citizen', bsb: '062000', account: '00000014' })
    await s.page.getByRole('button', { name: 'Continue' }).click()
    await s.page.getByRole('button', { name: 'Cash out' }).click()
    await s.page
      .getByRole('heading', { name: 'Use a different account' })
      .waitFor({ timeout: 15_000 })
    expect(await s.page.getByRole('status').textContent()).toContain('could not pay this account')
    await shot(s.page, 'reopened')
    expect(await seriousViolations(s.context, s.page)).toEqual([])
    await fillPayId(s.page, 'Email address', 'jane@example.com')
    await s.page.getByRole('button', { name: 'Continue' }).click()
    await s.page.getByRole('button', { name: 'Cash out' }).click()
    await s.page.getByRole('heading', { name: 'Paid' }).waitFor({ timeout: 15_000 })
    expect(await balance(s.h.app, s.provider)).toMatchObject({
      paid_out_minor: 2500,
      reserved_minor: 0,
    })
    await s.context.close()
  })

  test('a final failure says so in plain words', async ({ db }) => {
    const s = await scene(db)
    await fillPayId(s.page, 'Email address', 'blocked@sandbox.test')
    await s.page.getByRole('button', { name: 'Continue' }).click()
    await s.page.getByRole('button', { name: 'Cash out' }).click()
    await s.page
      .getByRole('heading', { name: 'We couldn’t pay this cashout' })
      .waitFor({ timeout: 15_000 })
    expect(await s.page.locator('.status').textContent()).toContain('cannot receive payments')
    await shot(s.page, 'failed')
    expect(await balance(s.h.app, s.provider)).toMatchObject({
      reserved_minor: 0,
      paid_out_minor: 0,
    })
    await s.context.close()
  })

  test('works with the keyboard alone', async ({ db }) => {
    const s = await scene(db)
    // First the three other languages, each named in itself, then the form.
    const languages: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      await s.page.keyboard.press('Tab')
      languages.push(
        await s.page.evaluate(() => document.activeElement?.getAttribute('lang') ?? null),
      )
    }
    expect(languages).toEqual(['ar', 'zh-Hans', 'vi'])
    await s.page.keyboard.press('Tab')
    expect(await s.page.evaluate(() => document.activeElement?.id)).toBe('type-payid')
    await s.page.keyboard.press('Tab')
    await s.page.keyboard.press('Tab')
    expect(await s.page.evaluate(() => document.activeElement?.id)).toBe('payid')
    await s.page.keyboard.type('Jane@Example.com')
    await s.page.keyboard.press('Enter')
    await s.page.getByRole('heading', { name: 'Check your details' }).waitFor()
    for (let i = 0; i < 4; i++) await s.page.keyboard.press('Tab')
    expect(await s.page.evaluate(() => document.activeElement?.textContent)).toBe('Cash out')
    const outline = await s.page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    )
    expect(outline).toBe('solid')
    await s.page.keyboard.press('Enter')
    await s.page.getByRole('heading', { name: 'Paid' }).waitFor({ timeout: 15_000 })
    await s.context.close()
  })

  test('works with scripts off: both sets of fields show and a refresh shows the result', async ({
    db,
  }) => {
    const s = await scene(db, { javaScript: false })
    expect(await s.page.getByLabel('BSB').isVisible()).toBe(true)
    expect(await s.page.getByLabel('PayID', { exact: true }).isVisible()).toBe(true)
    await fillPayId(s.page, 'Email address', 'jane@example.com')
    await s.page.getByRole('button', { name: 'Continue' }).click()
    await s.page.getByRole('button', { name: 'Cash out' }).click()
    await s.h.waitForClaim(s.provider, s.uuid, 'settled')
    await s.page.reload()
    expect(await s.page.getByRole('heading', { name: 'Paid' }).count()).toBe(1)
    await s.context.close()
  })

  test('another browser on a used link sees the page every unusable link gets', async ({ db }) => {
    const s = await scene(db)
    await fillPayId(s.page, 'Email address', 'jane@example.com')
    await s.page.getByRole('button', { name: 'Continue' }).click()
    await s.page.getByRole('button', { name: 'Cash out' }).click()
    await s.page.getByRole('heading', { name: 'Paid' }).waitFor({ timeout: 15_000 })
    const stranger = await browser.newContext({ viewport: { width: 320, height: 640 } })
    const other = await stranger.newPage()
    const used = await other.goto(s.url)
    const usedText = await other.locator('main').textContent()
    await shot(other, 'unavailable')
    const unknown = await other.goto(s.url.replace(s.uuid, crypto.randomUUID()))
    expect(used?.status()).toBe(404)
    expect(unknown?.status()).toBe(404)
    expect(await other.locator('main').textContent()).toBe(usedText)
    expect(await seriousViolations(stranger, other)).toEqual([])
    await stranger.close()
    await s.context.close()
  })
})
