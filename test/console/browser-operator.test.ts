import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { launchChromium, newContext, seriousViolations, shotBoth } from '../support/chromium.ts'
import { balance, fundedProvider, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { bankAccount, claimWith, payoutHarness, payoutOf } from '../support/payouts.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

/** Screenshots at both widths, and no serious axe-core finding on the page as it is. */
async function look(context: BrowserContext, page: Page, name: string) {
  await shotBoth(page, name)
  expect(await seriousViolations(context, page), name).toEqual([])
}

/** Browser steps with screenshots and axe on a shared machine take a while. */
const SLOW = 90_000

async function signIn(page: Page, cashoutUrl: string) {
  await page.goto(`${cashoutUrl}/console/operator/sign-in`)
  await page.getByLabel('Operator token').fill(OPERATOR_TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor()
}

describe('the operator console in a browser', () => {
  test(
    'the operator signs in, credits a float and sees the new balance, suspends and resumes',
    async ({ db }) => {
      const h = await payoutHarness(db, { live: true })
      const p = await fundedProvider(h.app, 10_000)
      await registerProvider(h.app)
      const context = await newContext(browser)
      const page = await context.newPage()
      await page.goto(`${h.cashoutUrl}/console/operator/sign-in`)
      await look(context, page, 'operator-sign-in')
      await page.getByLabel('Operator token').fill('not the token')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByText('That operator token is not right.').first().waitFor()
      await signIn(page, h.cashoutUrl)
      await look(context, page, 'operator-providers')

      await page.getByRole('link', { name: p.name, exact: true }).click()
      await page.getByRole('heading', { name: p.name, level: 1 }).waitFor()
      await look(context, page, 'operator-provider')

      await page.getByLabel('Amount').fill('1.234')
      await page.getByLabel('Reference').fill('wire-7')
      await page.getByRole('button', { name: 'Credit float' }).click()
      await page.getByText('at most two digits after the point').first().waitFor()
      await look(context, page, 'operator-provider-error')

      // Steps a minute apart, so the activity log reads in the order they happened.
      h.clock.advance(60_000)
      await page.getByLabel('Amount').fill('250.00')
      await page.getByRole('button', { name: 'Credit float' }).click()
      await page.getByText('Credited $250.00 to the test float').waitFor()
      await page.getByText('$350.00 available').first().waitFor()
      expect((await balance(h.app, p)).available_minor).toBe(35_000)

      h.clock.advance(60_000)
      await page.getByLabel('Reason for suspending').fill('Paused while we check invoices')
      await page.getByRole('button', { name: 'Suspend' }).click()
      await page.getByText(`${p.name} is suspended`).waitFor()
      await look(context, page, 'operator-provider-suspended')
      h.clock.advance(60_000)
      await page.getByRole('button', { name: 'Resume' }).click()
      await page.getByText(`${p.name} is active again`).waitFor()
      await context.close()
    },
    SLOW,
  )

  test(
    'a payout not yet sent is listed with why, and offers no resolve form',
    async ({ db }) => {
      const h = await payoutHarness(db)
      const p = await fundedProvider(h.app, 10_000)
      const uuid = await claimWith(h, p, 'waiting', bankAccount('00000044'))
      const payout = await payoutOf(db, uuid)
      // The rail said its funds are short: the payout waits, never sent, until they are topped up.
      await db
        .updateTable('payouts')
        .set({ waiting_on: 'rail_funds', rail_calls: 1 })
        .where('id', '=', payout.id)
        .execute()

      const context = await newContext(browser)
      const page = await context.newPage()
      await signIn(page, h.cashoutUrl)
      await page.getByRole('link', { name: 'Payouts' }).click()
      await page.getByRole('heading', { name: 'Payouts needing attention' }).waitFor()
      await page.getByText('It has not been sent yet, so there is nothing to resolve').waitFor()
      expect(await page.getByRole('button', { name: 'Resolve payout' }).count()).toBe(0)
      await look(context, page, 'operator-payouts-pending')
      await context.close()
    },
    SLOW,
  )

  test(
    'the operator resolves a held payout, and finds it in the activity log',
    async ({ db }) => {
      const h = await payoutHarness(db)
      const p = await fundedProvider(h.app, 10_000)
      const uuid = await claimWith(h, p, 'skewed', bankAccount('00000044'))
      await h.drain()
      const held = await payoutOf(db, uuid)
      expect(held.status).toBe('held')
      h.clock.advance(60_000)

      const context = await newContext(browser)
      const page = await context.newPage()
      await signIn(page, h.cashoutUrl)
      await page.getByRole('link', { name: 'Payouts' }).click()
      await page.getByRole('heading', { name: 'Payouts needing attention' }).waitFor()
      await look(context, page, 'operator-payouts')
      await page.getByRole('button', { name: 'Resolve payout' }).click()
      // The browser asks for a choice before sending: nothing was recorded.
      expect((await payoutOf(db, uuid)).status).toBe('held')
      await page.getByLabel('Paid: the rail paid it').check()
      await page.getByLabel('Reason').fill('The portal shows $5.00 paid to this account')
      await page.getByRole('button', { name: 'Resolve payout' }).click()
      await page.getByText(`payout ${held.id} is settled`).waitFor()
      await page.getByText('Nothing needs attention').waitFor()
      expect(await h.waitForClaim(p, uuid, 'settled')).toMatchObject({ status: 'settled' })

      await page.getByRole('link', { name: 'Activity' }).click()
      await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor()
      await page.getByText('Payout resolved').first().waitFor()
      await look(context, page, 'operator-activity')
      await context.close()
    },
    SLOW,
  )
})
