import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, onTestFinished } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import {
  joinInBrowser,
  launchChromium,
  newContext,
  SHOTS,
  seriousViolations,
  shotBoth,
} from '../support/chromium.ts'
import { call, credit, generate, registerProvider } from '../support/client.ts'
import { uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import { payoutHarness } from '../support/payouts.ts'
import { startReceiver } from '../support/receiver.ts'
import { providerIdOf } from '../support/reviews.ts'

const SLOW = 120_000
let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
})

/** A provider whose webhooks go to a local receiver, and its owner signed in in a phone-sized browser. */
async function scene(db: Db) {
  const receiver = await startReceiver()
  onTestFinished(() => receiver.close())
  const h = await payoutHarness(db, { env: { ALLOW_LOOPBACK_ENDPOINTS: 'true' } })
  const provider = await registerProvider(h.app, { endpoint: `${receiver.url}/hook` })
  const context = await newContext(browser)
  onTestFinished(() => context.close())
  const page = await context.newPage()
  // Every confirm() the console asks is answered yes, as the person clicking meant.
  page.on('dialog', (dialog) => void dialog.accept())
  await joinInBrowser(page, provider.consoleSetupUrl, uniqueEmail())
  const open = async (path: string) => {
    await page.goto(`${h.cashoutUrl}${path}`)
  }
  return { h, receiver, provider, context, page, open }
}

async function expectAccessible(s: Awaited<ReturnType<typeof scene>>) {
  expect(await seriousViolations(s.context, s.page)).toEqual([])
}

const bearer = (url: string, key: string) =>
  fetch(`${url}/cashout/profile`, { headers: { Authorization: `Bearer ${key}` } })

describe('console webhooks, keys and settings in a browser', () => {
  test(
    'send a test webhook and see it delivered; rotate the secret; a refused endpoint',
    async ({ db }) => {
      const s = await scene(db)
      await s.open('/console/webhooks')
      await s.page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor()
      await expectAccessible(s)

      await s.page.getByRole('button', { name: 'Send test' }).click()
      await s.page.getByText('A test event is queued.').waitFor()
      await s.page.getByText('Waiting', { exact: true }).first().waitFor()
      await runWebhookBatch({ deps: s.h.deps, workerId: 'browser-test' })
      expect(s.receiver.received).toHaveLength(1)
      expect(JSON.parse(s.receiver.received[0]?.body ?? '{}').event).toBe('webhook.test')
      await s.page.reload()
      await s.page.getByText('Delivered').first().waitFor()
      await s.page
        .getByText(/HTTP 200/)
        .first()
        .waitFor()
      await shotBoth(s.page, 'webhooks')
      await expectAccessible(s)

      await s.page.getByRole('button', { name: 'Rotate secret' }).click()
      const secret = (await s.page.locator('code.secret').textContent())?.trim() ?? ''
      expect(secret).toMatch(/^whsec_/)
      await s.page.getByRole('button', { name: 'Copy' }).waitFor()
      await shotBoth(s.page, 'webhooks-secret-shown')
      await expectAccessible(s)
      await s.open('/console/webhooks')
      expect(await s.page.content()).not.toContain(secret)

      // Each retired secret keeps signing for the day it was promised; a fourth rotation within
      // that day would cut the oldest short, so the page refuses it and says when it can be done.
      for (const _ of [2, 3]) {
        await s.page.getByRole('button', { name: 'Rotate secret' }).click()
        await s.page.locator('code.secret').waitFor()
        await s.open('/console/webhooks')
      }
      await s.page.getByRole('button', { name: 'Rotate secret' }).click()
      await s.page.getByText('Three earlier secrets still sign beside the current one').waitFor()
      expect(await s.page.locator('code.secret').count()).toBe(0)
      await shotBoth(s.page, 'webhooks-rotation-refused')
      await expectAccessible(s)
      await s.open('/console/webhooks')

      await s.page.getByLabel('Endpoint URL').fill('https://10.0.0.8/hook')
      await s.page.getByRole('button', { name: 'Change endpoint' }).click()
      await s.page.getByText('Must not point at a private address.').first().waitFor()
      expect(await s.page.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true')
      await shotBoth(s.page, 'webhooks-endpoint-refused')
      await expectAccessible(s)
    },
    SLOW,
  )

  test(
    'a paused endpoint says so, and saving the endpoint ends the pause',
    async ({ db }) => {
      const s = await scene(db)
      // The pause itself is driven by real failures in test/webhooks/endpoint-pause.test.ts;
      // here the endpoint is put in the state those failures leave, to see how the page reads.
      await db
        .updateTable('providers')
        .set({
          webhook_failing: 40,
          webhook_failing_since: new Date(Date.now() - 120_000),
          webhook_resume_at: new Date(Date.now() + 240_000),
          webhook_pause_seconds: 240,
        })
        .where('id', '=', await providerIdOf(db, s.provider.name))
        .execute()
      await s.open('/console/webhooks')
      await s.page.getByText('Paused: the endpoint failed its last 40 attempts.').waitFor()
      await shotBoth(s.page, 'webhooks-paused')
      await expectAccessible(s)

      await s.page.getByRole('button', { name: 'Change endpoint' }).click()
      await s.page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor()
      expect(await s.page.getByText('Paused:').count()).toBe(0)
      const api = await call(s.h.app, 'GET', '/cashout/webhooks', { key: s.provider.key })
      expect(api.body).toMatchObject({ paused_until: null, failing_attempts: 0 })
    },
    SLOW,
  )

  test(
    'create a key, see it once, use it, revoke the first key',
    async ({ db }) => {
      const s = await scene(db)
      await s.open('/console/keys')
      await s.page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor()
      await shotBoth(s.page, 'keys')
      await expectAccessible(s)

      await s.page.getByLabel('Label').fill('Shop server')
      await s.page.getByRole('button', { name: 'Create key' }).click()
      const key = (await s.page.locator('code.secret').textContent())?.trim() ?? ''
      expect(key).toMatch(/^ck_test_/)
      expect((await bearer(s.h.cashoutUrl, key)).status).toBe(200)
      await shotBoth(s.page, 'keys-created')
      await expectAccessible(s)

      await s.open('/console/keys')
      expect(await s.page.content()).not.toContain(key)
      const first = s.page.getByRole('row').filter({ hasText: 'first key' })
      await first.getByRole('button', { name: /Revoke/ }).click()
      await s.page.getByText('The key is revoked').waitFor()
      expect((await bearer(s.h.cashoutUrl, s.provider.key)).status).toBe(401)
      expect((await bearer(s.h.cashoutUrl, key)).status).toBe(200)
      await shotBoth(s.page, 'keys-revoked')
    },
    SLOW,
  )

  test(
    'set the claim page’s name, colour and contact; the claim page shows them',
    async ({ db }) => {
      const s = await scene(db)
      await s.open('/console/settings')
      await s.page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
      await shotBoth(s.page, 'settings')
      await expectAccessible(s)

      await s.page.getByLabel('Display name').fill('Acme Rewards Club')
      await s.page.getByLabel('Accent colour').fill('#ffff00')
      await s.page.getByText('too light, choose a darker colour').waitFor()
      await s.page.getByLabel('Support contact').fill('help@acme.example')
      await s.page.getByRole('button', { name: 'Save settings' }).click()
      await s.page.getByText('has a contrast ratio of 1.07:1').first().waitFor()
      await shotBoth(s.page, 'settings-refused')
      await expectAccessible(s)

      await s.page.getByLabel('Accent colour').fill('#5b1a8f')
      await s.page.getByText('White text on #5b1a8f: 10.').waitFor()
      await s.page.getByRole('button', { name: 'Save settings' }).click()
      await s.page.getByText('Saved.').waitFor()
      // The new name and contact wait for the operator; the page says so until each is approved.
      await s.page.getByText('“Acme Rewards Club” is waiting for the operator’s review').waitFor()
      await s.page.getByText('“help@acme.example” is waiting for the operator’s review').waitFor()
      const preview = s.page.locator('.preview-button')
      expect(await preview.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        'rgb(91, 26, 143)',
      )
      // The console's own buttons keep their colour.
      const save = s.page.getByRole('button', { name: 'Save settings' })
      expect(await save.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        'rgb(10, 92, 54)',
      )
      await shotBoth(s.page, 'settings-saved')
      await expectAccessible(s)

      for (const [path, body] of [
        ['display-name', { display_name: 'Acme Rewards Club' }],
        ['support-contact', { support_contact: 'help@acme.example' }],
      ] as const) {
        const approved = await call(
          s.h.app,
          'POST',
          `/operator/providers/${s.provider.name}/${path}`,
          { key: OPERATOR_TOKEN, body: { approve: true, ...body } },
        )
        expect(approved.status).toBe(200)
      }
      await credit(s.h.app, s.provider.name, 100_000)
      const claim = (await generate(s.h.app, s.provider, { amount: 2500, id: 'themed' })).body
      const customer = await newContext(browser)
      onTestFinished(() => customer.close())
      const page = await customer.newPage()
      await page.goto(claim.url)
      await page.getByText('Acme Rewards Club').waitFor()
      await page.getByRole('link', { name: 'help@acme.example' }).waitFor()
      const button = page.getByRole('button', { name: 'Continue' })
      expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        'rgb(91, 26, 143)',
      )
      await page.screenshot({
        path: join(SHOTS, 'console', 'claim-page-themed-390.png'),
        fullPage: true,
      })
      expect(await seriousViolations(customer, page)).toEqual([])
    },
    SLOW,
  )
})
