import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  joinInBrowser,
  launchChromium,
  newContext,
  seriousViolations,
  shotBoth,
} from '../support/chromium.ts'
import { call, fundedProvider, generate, type TestProvider } from '../support/client.ts'
import { uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import {
  bankAccount,
  PAYID,
  type PayoutHarness,
  payoutHarness,
  submit,
} from '../support/payouts.ts'
import { csvRecords, LONG } from './claims-fixtures.ts'

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

async function claim(
  h: PayoutHarness,
  p: TestProvider,
  id: string,
  amount: number,
  customer?: string,
) {
  const reply = await generate(h.app, p, { amount, id, customer_id: customer, expires_in: LONG })
  expect(reply.status).toBe(200)
  h.clock.advance(7 * 60_000)
  return reply.body.uuid as string
}

/** A claim whose first payout failed and second was paid: a full timeline for the screenshots. */
async function paidClaim(h: PayoutHarness, p: TestProvider) {
  const uuid = await claim(h, p, 'order-7731', 4250, 'customer-0042')
  await submit(h.app, p, uuid, bankAccount('00000014'))
  await h.drain()
  await h.waitForClaim(p, uuid, 'open')
  await submit(h.app, p, uuid, PAYID)
  await h.drain()
  await h.waitForClaim(p, uuid, 'settled')
  return uuid
}

describe('console claims in a browser', () => {
  test('a claim is found by reference, opened and cancelled; the CSV downloads and parses back', {
    timeout: 120_000,
  }, async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 1_000_000)
    const paid = await paidClaim(h, p)
    await claim(h, p, 'order-7732', 1200, 'customer-0007')
    const target = await claim(h, p, 'order-7733', 2500, 'customer-0042')
    await claim(h, p, 'a-rather-long-reference-from-the-loyalty-system-2026-03-01', 99_000)

    const context = await newContext(browser)
    const page = await context.newPage()
    await joinInBrowser(page, p.consoleSetupUrl, uniqueEmail())
    await page.getByRole('link', { name: 'Claims' }).click()
    await page.getByRole('heading', { name: 'Claims', level: 1 }).waitFor()
    await shotBoth(page, 'claims-list')
    await expectAccessible(context, page)

    await page.getByLabel('Reference or uuid').fill('order-7733')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.getByText('1 claim on this page').waitFor()
    await expect.poll(() => page.getByRole('link', { name: /^order-/ }).count()).toBe(1)
    await shotBoth(page, 'claims-filtered')

    await page.getByRole('link', { name: 'order-7733' }).click()
    await page.getByRole('heading', { name: 'Claim order-7733' }).waitFor()
    expect(await page.textContent('main')).toContain(target)
    await shotBoth(page, 'claim-detail-open')
    await expectAccessible(context, page)

    // The confirm prompt (console.js) is answered yes; the cancel then posts.
    let asked = ''
    page.once('dialog', (dialog) => {
      asked = dialog.message()
      void dialog.accept()
    })
    await page.getByRole('button', { name: 'Cancel claim' }).click()
    await page.getByText('Claim cancelled.').waitFor()
    expect(asked).toContain('Cancel claim order-7733?')
    expect(await page.getByRole('button', { name: 'Cancel claim' }).count()).toBe(0)
    await shotBoth(page, 'claim-detail-cancelled')
    await expectAccessible(context, page)
    const api = await call(h.app, 'GET', `/cashout/claims/${target}`, { key: p.key })
    expect(api.body.status).toBe('cancelled')

    await page.getByRole('link', { name: '← All claims' }).click()
    const row = page.getByRole('row').filter({ hasText: 'order-7733' })
    await expect.poll(() => row.textContent()).toContain('Cancelled')

    // Export CSV: a real download, parsed back and compared with the API's list.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^claims-test-\d{4}-\d{2}-\d{2}\.csv$/)
    const records = csvRecords(await readFile(await download.path(), 'utf8'))
    const listed = (await call(h.app, 'GET', '/cashout/claims', { key: p.key })).body.claims
    expect(records.map((r) => [r.uuid, r.reference, r.status])).toEqual(
      listed.map((c: { uuid: string; id: string; status: string }) => [c.uuid, c.id, c.status]),
    )
    expect(records.find((r) => r.uuid === paid)?.payout_destination).toBe('PayID j•••@example.com')

    await page.goto(`${h.cashoutUrl}/console/claims/${paid}`)
    await page.getByRole('heading', { name: 'Claim order-7731' }).waitFor()
    await shotBoth(page, 'claim-detail-paid')
    await expectAccessible(context, page)
    await context.close()
  })
})
