import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { totpAt } from '../../src/console/totp.ts'
import {
  joinInBrowser,
  launchChromium,
  newContext,
  seriousViolations,
  shotBoth,
  signInInBrowser,
} from '../support/chromium.ts'
import { registerProvider } from '../support/client.ts'
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

async function look(context: BrowserContext, page: Page, name: string) {
  await shotBoth(page, name)
  expect(await seriousViolations(context, page), name).toEqual([])
}

/** The buttons on the page whose names say they change something of the team's. */
async function teamChangingButtons(page: Page) {
  const names = await page.getByRole('button').allTextContents()
  return names.filter((n) => /invite|change role|remove|withdraw/i.test(n))
}

describe('console team in a browser', () => {
  test('an owner invites a viewer who can change nothing, even by forging a form', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const provider = await registerProvider(h.app)
    const ownerContext = await newContext(browser)
    const owner = await ownerContext.newPage()
    await joinInBrowser(owner, provider.consoleSetupUrl, uniqueEmail('owner'))

    await owner.getByRole('link', { name: 'Team', exact: true }).click()
    await owner.getByRole('heading', { name: 'Team' }).waitFor()
    await owner.getByLabel('Role').selectOption('viewer')
    await owner.getByRole('button', { name: 'Invite' }).click()
    const shown = owner.locator('code.secret')
    await shown.waitFor()
    const link = (await shown.textContent())?.trim() ?? ''
    expect(link).toMatch(new RegExp(`^${h.cashoutUrl}/console/join/[A-Za-z0-9_-]{43}$`))
    await look(ownerContext, owner, 'team')

    await owner.getByRole('link', { name: 'Activity', exact: true }).click()
    await owner.getByRole('heading', { name: 'Activity' }).waitFor()
    await expect(owner.getByText('Invited a member').first().isVisible()).resolves.toBe(true)
    await look(ownerContext, owner, 'activity')

    const viewerContext = await newContext(browser)
    const viewer = await viewerContext.newPage()
    const viewerEmail = uniqueEmail('viewer')
    await joinInBrowser(viewer, link, viewerEmail)
    await viewer.goto(`${h.cashoutUrl}/console/team`)
    await viewer.getByRole('heading', { name: 'Team' }).waitFor()
    expect(await teamChangingButtons(viewer)).toEqual([])
    expect(await viewer.locator('form[action^="/console/team/"]').count()).toBe(0)
    await viewer.getByRole('link', { name: 'Your account' }).click()
    await viewer.getByRole('heading', { name: 'Your account' }).waitFor()
    expect(await teamChangingButtons(viewer)).toEqual([])

    // A form built in the viewer's own page, with its valid token, still meets the server.
    await viewer.goto(`${h.cashoutUrl}/console/team`)
    const [refusal] = await Promise.all([
      viewer.waitForResponse((r) => r.url().endsWith('/console/team/invite')),
      viewer.evaluate(() => {
        const csrf = (document.querySelector('input[name=csrf]') as HTMLInputElement).value
        const form = document.createElement('form')
        form.method = 'post'
        form.action = '/console/team/invite'
        for (const [name, value] of [
          ['csrf', csrf],
          ['role', 'owner'],
        ]) {
          const input = document.createElement('input')
          input.type = 'hidden'
          input.name = name as string
          input.value = value as string
          form.append(input)
        }
        document.body.append(form)
        form.submit()
      }),
    ])
    expect(refusal.status()).toBe(403)
    await viewer.getByText('Your role (viewer) cannot do this').waitFor()
    const invites = await db
      .selectFrom('console_links')
      .select('used_at')
      .where('kind', '=', 'invite')
      .execute()
    expect(invites).toHaveLength(1)
    expect(invites[0]?.used_at).not.toBeNull()

    await viewer.goto(`${h.cashoutUrl}/console`)
    await viewer.getByRole('button', { name: 'Sign out' }).click()
    await viewer.getByRole('heading', { name: 'Sign in' }).waitFor()
    await viewer.getByText('You are signed out.').waitFor()
    await look(viewerContext, viewer, 'sign-in')

    for (let i = 0; i < 5; i++) {
      await signInInBrowser(viewer, h.cashoutUrl, viewerEmail, `wrong password ${i}`)
      await viewer.getByText('Email or password is incorrect.').waitFor()
    }
    await signInInBrowser(viewer, h.cashoutUrl, viewerEmail, PASSWORD)
    await viewer.getByText('Email or password is incorrect.').waitFor()
    await expect(viewer.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true)
    await look(viewerContext, viewer, 'sign-in-refused')

    await ownerContext.close()
    await viewerContext.close()
  })

  test('two-factor turned on in the browser is then asked for at sign-in', async ({ db }) => {
    const h = await payoutHarness(db)
    const provider = await registerProvider(h.app)
    const context = await newContext(browser)
    const page = await context.newPage()
    const email = uniqueEmail('owner')
    await joinInBrowser(page, provider.consoleSetupUrl, email)

    await page.getByRole('link', { name: 'Team', exact: true }).click()
    await page.getByRole('link', { name: 'Your account' }).click()
    await page.getByRole('heading', { name: 'Your account' }).waitFor()
    await look(context, page, 'account')
    await page.getByRole('link', { name: 'Set up two-factor' }).click()
    await page.getByRole('heading', { name: 'Set up two-factor' }).waitFor()
    const secret = ((await page.locator('.otp-key').textContent()) ?? '').replace(/\s/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    const uri = await page
      .getByRole('link', { name: /add Cashout to your app/ })
      .getAttribute('href')
    expect(uri).toContain(`secret=${secret}`)
    await look(context, page, 'account-two-factor')
    await page.getByLabel('Code').fill(await totpAt(secret, h.clock.now()))
    await page.getByRole('button', { name: 'Turn on two-factor' }).click()
    await page.getByText('Two-factor is on.').waitFor()

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    h.clock.advance(30_000)
    await signInInBrowser(page, h.cashoutUrl, email)
    await page.getByRole('heading', { name: 'Two-factor code' }).waitFor()
    // Half signed in: the console stays shut until the code.
    await page.goto(`${h.cashoutUrl}/console/team`)
    await page.getByRole('heading', { name: 'Two-factor code' }).waitFor()
    await look(context, page, 'two-factor-code')
    await page.getByLabel('Code').fill('000000')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('That code is not right').first().waitFor()
    await page.getByLabel('Code').fill(await totpAt(secret, h.clock.now()))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    await context.close()
  })
})
