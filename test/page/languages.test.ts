import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { type MessageKey, type Translator, translator } from '../../src/page/i18n/catalogue.ts'
import type { Locale } from '../../src/page/i18n/locales.ts'
import { launchChromium, newContext, SHOTS, seriousViolations } from '../support/chromium.ts'
import { call, fundedProvider, generate, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { type PayoutHarness, payoutHarness } from '../support/payouts.ts'

/**
 * The claim page in each of its languages, as a customer whose browser prefers it reads it:
 * every state at 390 px (screenshots in test-output/screenshots/languages), each validation
 * message, both journeys to paid, axe on each state. Fields and buttons are found by id and
 * value, so one script drives every language; what the page says is checked against the
 * language's catalogue.
 */

/** What each browser sends: a regional tag, as real browsers do. */
const BROWSER_LOCALES: Record<Locale, string> = {
  en: 'en-AU',
  ar: 'ar-SA',
  'zh-Hans': 'zh-CN',
  vi: 'vi-VN',
}
const LOCALES = Object.keys(BROWSER_LOCALES) as Locale[]

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
  t: Translator
  context: BrowserContext
  page: Page
  /** A fresh claim's page, opened in this browser. */
  open(amount?: number): Promise<{ uuid: string; url: string; netMinor: number }>
  /** A 390 px screenshot; `wide` adds one at 1280 px. */
  shot(name: string, wide?: boolean): Promise<void>
  axe(): Promise<void>
}

async function scene(db: Parameters<typeof payoutHarness>[0], locale: Locale): Promise<Scene> {
  const h = await payoutHarness(db)
  const provider = await fundedProvider(h.app, 1_000_000)
  const context = await newContext(browser, { locale: BROWSER_LOCALES[locale] })
  const page = await context.newPage()
  const s: Scene = {
    h,
    provider,
    t: translator(locale),
    context,
    page,
    open: async (amount = 2500) => {
      const claim = (await generate(h.app, provider, { amount, id: `l-${Math.random()}` })).body
      await page.goto(claim.url)
      return { uuid: claim.uuid, url: claim.url, netMinor: claim.quote.net_minor }
    },
    shot: async (name, wide = false) => {
      await page.screenshot({
        path: join(SHOTS, 'languages', `${locale}-${name}.png`),
        fullPage: true,
      })
      if (!wide) return
      await page.setViewportSize({ width: 1280, height: 800 })
      await page.screenshot({
        path: join(SHOTS, 'languages', `${locale}-${name}-1280.png`),
        fullPage: true,
      })
      await page.setViewportSize({ width: 390, height: 844 })
    },
    axe: async () => {
      expect(await seriousViolations(context, page)).toEqual([])
    },
  }
  return s
}

/** The page's language and direction, and that nothing runs off a phone's width. */
async function expectLanguage(s: Scene) {
  expect(await s.page.getAttribute('html', 'lang')).toBe(s.t.lang)
  expect(await s.page.getAttribute('html', 'dir')).toBe(s.t.dir)
  expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
}

async function heading(s: Scene, key: MessageKey, timeout = 15_000) {
  await s.page
    .locator('h1, h2')
    .filter({ hasText: s.t.t(key) })
    .first()
    .waitFor({ timeout })
}

async function fillBank(page: Page, name: string, bsb: string, account: string) {
  await page.locator('#type-bank').check()
  await page.locator('#account_name').fill(name)
  await page.locator('#bsb').fill(bsb)
  await page.locator('#account_number').fill(account)
}

async function fillPayId(page: Page, type: string, payid: string) {
  await page.locator('#type-payid').check()
  await page.locator('#payid_type').selectOption(type)
  await page.locator('#payid').fill(payid)
}

const next = (page: Page) => page.locator('button[value=continue]').click()
const confirm = (page: Page) => page.locator('button[formaction]').click()

/** Each input the page can send wrong, and the messages (by field) it must answer with. */
const INVALID: [(page: Page) => Promise<void>, Record<string, string>][] = [
  [
    (p) => fillBank(p, 'Mary-Jane', '06200', '123'),
    { account_name: 'account_name_characters', bsb: 'bsb', account_number: 'account_number' },
  ],
  [(p) => fillBank(p, 'Ｍａｒｙ', '062000', '1234'), { account_name: 'full_width' }],
  [(p) => fillBank(p, ' ', '062000', '1234'), { account_name: 'account_name_missing' }],
  [
    (p) => fillBank(p, '4111 1111 1111 1111', '062000', '1234'),
    { account_name: 'account_name_card' },
  ],
  [(p) => fillBank(p, 'M'.repeat(141), '062000', '1234'), { account_name: 'account_name_long' }],
  [(p) => fillPayId(p, 'email', 'jane@'), { payid: 'email' }],
  [(p) => fillPayId(p, 'email', 'ja\u200bne@example.com'), { payid: 'invisible' }],
  [(p) => fillPayId(p, 'email', `${'x'.repeat(321)}`), { payid: 'too_long' }],
  [(p) => fillPayId(p, 'email', ''), { payid: 'payid_missing' }],
  [(p) => fillPayId(p, 'mobile', '02 1234 5678'), { payid: 'mobile' }],
  [(p) => fillPayId(p, 'abn', '1234'), { payid: 'abn_length' }],
  [(p) => fillPayId(p, 'abn', '12 345 678 901'), { payid: 'abn_checksum' }],
  [(p) => fillPayId(p, 'org_id', '!'), { payid: 'org_id' }],
]

// Run once, on the embedded database: what this checks is the page in each language; the same
// journeys run on Postgres in English (browser.test.ts), and the database does not speak.
describe.runIf(!process.env.TEST_DATABASE_URL).each(LOCALES)('the claim page in %s', (locale) => {
  test('a PayID to paid, every validation message on the way, and a receipt that prints on one page', async ({
    db,
  }) => {
    const s = await scene(db, locale)
    const { uuid, netMinor } = await s.open()
    await expectLanguage(s)
    expect(await s.page.locator('.amount').textContent()).toBe(s.t.money(BigInt(netMinor), 'AUD'))
    expect(await s.page.locator('.for').textContent()).toBe(
      s.t.t('offer.for', { points: s.t.count('points', 2500) }),
    )
    expect(await s.page.title()).toContain(s.t.t('step.form'))
    expect(await s.page.locator('nav.languages [aria-current]').getAttribute('lang')).toBe(locale)
    await s.shot('form', true)
    await s.axe()

    for (const [index, [fill, expected]] of INVALID.entries()) {
      await fill(s.page)
      await next(s.page)
      await s.page.locator('[data-error-summary]').waitFor()
      expect(await s.page.locator('#error-summary-title').textContent()).toBe(s.t.t('form.problem'))
      for (const [field, key] of Object.entries(expected)) {
        const message = s.t.t(`validation.${key}` as MessageKey, { max: '320' })
        expect(await s.page.locator(`#${field}-error`).textContent()).toBe(
          `${s.t.t('form.error')} ${message}`,
        )
        expect(await s.page.locator('[data-error-summary] li').allTextContents()).toContain(message)
      }
      if (index === 0) {
        expect(await s.page.title()).toBe(
          s.t.t('meta.error', {
            title: s.t.t('meta.title', { step: s.t.t('step.form'), provider: await provider(s) }),
          }),
        )
        await expectLanguage(s)
        await s.shot('errors')
        await s.axe()
      }
    }

    await fillPayId(s.page, 'mobile', '0412 345 678')
    await next(s.page)
    await heading(s, 'review.heading')
    // Typed digits stay left to right inside a right-to-left page.
    expect(await s.page.locator('dd bdi[dir=ltr]').allTextContents()).toContain('+61-412345678')
    await expectLanguage(s)
    await s.shot('review-payid')
    await s.axe()

    await confirm(s.page)
    await heading(s, 'status.processing')
    await s.shot('processing')
    await s.axe()
    s.h.startWorker()
    await heading(s, 'status.paid')
    await expectLanguage(s)
    const receipt = s.page.locator('.receipt')
    expect(await receipt.locator('dt').allTextContents()).toEqual(
      (
        [
          'receipt.amount',
          'receipt.points',
          'receipt.paid_to',
          'receipt.paid_on',
          'receipt.from',
          'receipt.reference',
        ] as const
      ).map((key) => s.t.t(key)),
    )
    expect(await receipt.locator('bdi[dir=ltr]').allTextContents()).toEqual(['+61-4••••5678', uuid])
    expect(await receipt.locator('dd').first().textContent()).toBe(
      s.t.money(BigInt(netMinor), 'AUD'),
    )
    expect(await s.page.locator('[data-print]').textContent()).toBe(s.t.t('receipt.print'))
    expect(await s.page.locator('[data-print]').isVisible()).toBe(true)
    await s.shot('paid', true)
    await s.axe()

    await s.page.emulateMedia({ media: 'print' })
    expect(await s.page.locator('nav.languages').isVisible()).toBe(false)
    expect(await s.page.locator('[data-print]').isVisible()).toBe(false)
    await s.shot('receipt-print')
    const pdf = (await s.page.pdf({ format: 'A4' })).toString('latin1')
    expect(pdf.match(/\/Type\s*\/Page\b/g)).toHaveLength(1)
    await s.context.close()
  })

  test('a bank account to paid; the switcher changes language, keeps what was typed, and is remembered', async ({
    db,
  }) => {
    const s = await scene(db, locale)
    s.h.startWorker()
    const { url, netMinor } = await s.open()
    const other: Locale = locale === 'ar' ? 'en' : 'ar'
    const otherT = translator(other)
    await fillBank(s.page, 'Jane Citizen', '062-000', '12345678')
    await s.page.locator(`nav.languages a[lang=${other}]`).click()
    await s.page.waitForFunction((lang) => document.documentElement.lang === lang, otherT.lang)
    expect(await s.page.locator('#type-bank').isChecked()).toBe(true)
    expect(await s.page.locator('#account_name').inputValue()).toBe('Jane Citizen')
    expect(await s.page.locator('#account_number').inputValue()).toBe('12345678')
    expect(await s.page.locator('button[value=continue]').textContent()).toBe(
      otherT.t('form.continue'),
    )
    // Kept for this browser, over what it asks for.
    await s.page.goto(url)
    expect(await s.page.getAttribute('html', 'lang')).toBe(otherT.lang)

    await fillBank(s.page, 'Jane Citizen', '062-000', '12345678')
    await next(s.page)
    await s.page
      .locator('h2')
      .filter({ hasText: otherT.t('review.heading') })
      .waitFor()
    await s.page.locator(`nav.languages a[lang=${locale}]`).click()
    await heading(s, 'review.heading')
    await expectLanguage(s)
    const review = await s.page.locator('dd bdi[dir=ltr]').allTextContents()
    expect(review).toEqual(['Jane Citizen', '062-000', '••••5678'])
    await s.shot('review-bank')
    await s.axe()
    await confirm(s.page)
    await heading(s, 'status.paid')
    expect(await s.page.locator('.receipt bdi[dir=ltr]').first().textContent()).toBe('Jane Citizen')
    expect(await s.page.locator('.status > p').first().textContent()).toBe(
      s.t.t('receipt.sent', {
        cash: s.t.money(BigInt(netMinor), 'AUD'),
        destination: s.t.t('destination.account', { account: '062-000 ••••5678' }),
      }),
    )
    await s.context.close()
  })

  test('failures, a lapsed and a cancelled claim, an unusable link and the rate limit', async ({
    db,
  }) => {
    const s = await scene(db, locale)
    s.h.startWorker()

    // A fixable failure: the form comes back, saying why and what to do.
    const lapsing = await s.open()
    await fillBank(s.page, 'Jane Citizen', '062000', '00000014')
    await next(s.page)
    await confirm(s.page)
    await heading(s, 'form.retry')
    expect(await s.page.locator('.notice p').textContent()).toBe(
      `${s.t.t('failure.bank')} ${s.t.t('failure.retry')}`,
    )
    await expectLanguage(s)
    await s.shot('retry')
    await s.axe()
    // Not used again in time: the browser that cashed it out sees it lapse.
    s.h.clock.advance(31 * 24 * 3600_000)
    await s.page.goto(lapsing.url)
    await heading(s, 'status.expired')
    expect(await s.page.locator('.status').textContent()).toContain(s.t.t('status.expired_reason'))
    await s.shot('expired')
    await s.axe()

    // Cancelled by the program while the customer was choosing another account.
    const cancelled = await s.open()
    await fillBank(s.page, 'Jane Citizen', '062000', '00000014')
    await next(s.page)
    await confirm(s.page)
    await heading(s, 'form.retry')
    const reply = await call(s.h.app, 'POST', `/cashout/claims/${cancelled.uuid}/cancel`, {
      key: s.provider.key,
    })
    expect(reply.status).toBe(200)
    await s.page.goto(cancelled.url)
    await heading(s, 'status.cancelled')
    expect(await s.page.locator('.status').textContent()).toContain(
      s.t.t('status.cancelled_reason'),
    )
    await s.shot('cancelled')
    await s.axe()

    // A final failure.
    await s.open()
    await fillPayId(s.page, 'email', 'blocked@sandbox.test')
    await next(s.page)
    await confirm(s.page)
    await heading(s, 'status.failed')
    expect(await s.page.locator('.status > p').last().textContent()).toBe(
      `${s.t.t('failure.blocked')} ${s.t.t('failure.final')}`,
    )
    await expectLanguage(s)
    await s.shot('failed')
    await s.axe()

    // A link that cannot be used, in the browser's language.
    await s.page.goto(`${s.h.cashoutUrl}/c/${crypto.randomUUID()}`)
    await heading(s, 'unavailable.heading')
    await expectLanguage(s)
    await s.shot('unavailable')
    await s.axe()

    // Too many views from one address.
    for (let i = 0; i < 120; i++) await s.context.request.get(cancelled.url)
    const limited = await s.page.goto(cancelled.url)
    expect(limited?.status()).toBe(429)
    await heading(s, 'notice.too_many.heading')
    await expectLanguage(s)
    await s.shot('rate-limited')
    await s.axe()
    await s.context.close()
  })
})

async function provider(s: Scene): Promise<string> {
  return (await s.page.locator('.offer .provider').textContent()) ?? ''
}
