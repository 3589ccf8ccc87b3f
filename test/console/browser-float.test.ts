import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import {
  joinInBrowser,
  launchChromium,
  newContext,
  seriousViolations,
  shotBoth,
} from '../support/chromium.ts'
import { call, fundedProvider, generate } from '../support/client.ts'
import { uniqueEmail } from '../support/console.ts'
import { parseCsv } from '../support/csv.ts'
import { test } from '../support/fixtures.ts'
import { payoutHarness } from '../support/payouts.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

describe('the float page in a browser', () => {
  test('an owner reads the statement, sets the alert and exports the CSV', async ({ db }) => {
    const h = await payoutHarness(db)
    const provider = await fundedProvider(h.app, 500_000)
    const uuids: string[] = []
    for (const [i, amount] of [1_000, 2_500, 700].entries()) {
      h.clock.advance(60_000)
      uuids.push((await generate(h.app, provider, { amount, id: `shop-order-${i + 1}` })).body.uuid)
    }
    h.clock.advance(60_000)
    await call(h.app, 'POST', `/cashout/claims/${uuids[1]}/cancel`, { key: provider.key })

    const context = await newContext(browser)
    const page = await context.newPage()
    await joinInBrowser(page, provider.consoleSetupUrl, uniqueEmail())
    await page.getByRole('link', { name: 'Float', exact: true }).click()
    await page.getByRole('heading', { name: 'Float', level: 1 }).waitFor()

    const table = page.getByRole('table', { name: 'Float statement, newest first' })
    const rows = table.locator('tbody tr')
    expect(await rows.count()).toBe(5)
    expect(await rows.first().innerText()).toContain('Returned: claim cancelled')
    expect(await rows.first().innerText()).toContain('$4,983.00')
    expect(await rows.last().innerText()).toContain('Float credited')

    // Above the float: saved, and float.low goes out at once.
    await page.getByLabel('Alert below').fill('5,000')
    await page.getByRole('button', { name: 'Save alert' }).click()
    await page.getByText('The float is already below it').waitFor()
    expect(await page.getByText('The float is below $5,000.00.').isVisible()).toBe(true)
    await shotBoth(page, 'float')
    expect(await seriousViolations(context, page)).toEqual([])

    await page.getByLabel('Alert below').fill('five grand')
    await page.getByRole('button', { name: 'Save alert' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await shotBoth(page, 'float-error')
    expect(await seriousViolations(context, page)).toEqual([])

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^statement-test-\d{4}-\d{2}-\d{2}\.csv$/)
    const records = parseCsv(await readFile(await download.path(), 'utf8'))
    expect(records[0]?.slice(0, 6)).toEqual([
      'transfer_id',
      'created_at',
      'kind',
      'direction',
      'amount',
      'running_balance',
    ])
    expect(records.slice(1).map((r) => [r[2], r[3], r[4], r[5], r[9]])).toEqual([
      ['credit', 'in', '5000.00', '5000.00', expect.any(String)],
      ['reserve', 'out', '10.00', '4990.00', ''],
      ['reserve', 'out', '25.00', '4965.00', ''],
      ['reserve', 'out', '7.00', '4958.00', ''],
      ['release', 'in', '25.00', '4983.00', ''],
    ])
    expect(records.slice(1).map((r) => r[8])).toEqual([
      '',
      'shop-order-1',
      'shop-order-2',
      'shop-order-3',
      'shop-order-2',
    ])
    await context.close()
  }, 60_000)
})
