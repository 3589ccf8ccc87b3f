import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { launchChromium, newContext, seriousViolations, shotBoth } from '../support/chromium.ts'
import { call, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { payoutHarness } from '../support/payouts.ts'

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

describe('display names, support contacts and shared cards in the operator console, in a browser', () => {
  test('the operator finds a name and a contact to review, sees who shares the card, and decides both', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const pan = '4000001234567899'
    const p = await registerProvider(h.app, { name: 'acme-rewards', pan })
    await registerProvider(h.app, { name: 'acme-rewards-two', pan })
    const asked = await call(h.app, 'POST', '/cashout/profile', {
      key: p.key,
      body: {
        display_name: 'Acme Rewards Club',
        support_contact: 'https://help.acme.example/cashout',
      },
    })
    expect(asked.status).toBe(200)

    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${h.cashoutUrl}/console/operator/sign-in`)
    await page.getByLabel('Operator token').fill(OPERATOR_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'Contact to review' }).waitFor()
    await shotBoth(page, 'operator-name-to-review')
    expect(await seriousViolations(context, page)).toEqual([])

    await page.getByRole('link', { name: 'Name to review' }).click()
    await page.getByRole('heading', { name: 'Display name' }).waitFor()
    await page.getByText('Same card as').waitFor()
    await shotBoth(page, 'operator-display-name')
    expect(await seriousViolations(context, page)).toEqual([])

    await page
      .getByRole('region', { name: 'Display name' })
      .getByRole('button', { name: 'Approve' })
      .click()
    await page.getByText('“Acme Rewards Club” is approved').waitFor()
    await shotBoth(page, 'operator-display-name-approved')
    expect(await seriousViolations(context, page)).toEqual([])

    // The contact waits in its own section, with its own reason field.
    const contact = page.getByRole('region', { name: 'Support contact' })
    await contact.getByText('Customers now see no contact.').waitFor()
    await contact.getByLabel('Reason for rejecting').fill('Not an address of yours')
    await contact.getByRole('button', { name: 'Reject' }).click()
    await page.getByText('“https://help.acme.example/cashout” is refused').waitFor()
    await page
      .getByRole('region', { name: 'Support contact' })
      .getByText('Refused “https://help.acme.example/cashout”: Not an address of yours.')
      .waitFor()
    await shotBoth(page, 'operator-support-contact-refused')
    expect(await seriousViolations(context, page)).toEqual([])
    await context.close()
  }, 90_000)
})
