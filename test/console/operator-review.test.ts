import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { displayName } from '../../src/page/claim-page.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, registerProvider, type TestProvider } from '../support/client.ts'
import { ConsoleBrowser } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

const WANTED = 'Acme Rewards Club'

async function operatorIn(app: App) {
  const browser = new ConsoleBrowser(app)
  await browser.open('/console/operator/sign-in')
  const signedIn = await browser.submit('/console/operator/sign-in', { token: OPERATOR_TOKEN })
  if (signedIn.status !== 303) throw new Error(`operator sign-in answered ${signedIn.status}`)
  return browser
}

async function askFor(app: App, provider: TestProvider, display_name: string) {
  const reply = await call(app, 'POST', '/cashout/profile', {
    key: provider.key,
    body: { display_name },
  })
  expect(reply.status).toBe(200)
}

function pageOf(name: string) {
  return `/console/operator/providers/${name}`
}

describe('the operator reviews display names in the console', () => {
  test('a waiting name is flagged in the list, shown on the provider’s page, and approved there', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const quiet = await registerProvider(app)
    await askFor(app, provider, WANTED)
    const browser = await operatorIn(app)

    const list = await browser.open('/console/operator')
    const cards = list.html.split('<li class="card">')
    const mine = cards.find((c) => c.includes(`>${provider.name}</a>`)) ?? ''
    const other = cards.find((c) => c.includes(`>${quiet.name}</a>`)) ?? ''
    expect(textOf(mine)).toContain('Name to review')
    expect(textOf(other)).not.toContain('Name to review')
    // The list shows what customers see, never a name nobody approved.
    expect(textOf(mine)).not.toContain(WANTED)

    const page = textOf((await browser.open(pageOf(provider.name))).html)
    expect(page).toContain(`Asks to be shown to customers as “${WANTED}”`)
    expect(page).toContain(`Customers now see “${displayName(provider.name)}”`)

    const approved = await browser.submit(`${pageOf(provider.name)}/display-name`, {
      decision: 'approve',
      text: WANTED,
    })
    expect(approved.status).toBe(200)
    expect(textOf(approved.html)).toContain(`“${WANTED}” is approved`)
    expect(textOf(approved.html)).toContain(`Shown to customers as ${WANTED}`)
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'display_name.approved')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_type: 'operator', target: provider.name })
  })

  test('a rejection needs a reason beside the field; a stale form decides nothing', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    await askFor(app, provider, 'Westpac Rewards')
    const browser = await operatorIn(app)
    await browser.open(pageOf(provider.name))
    const noReason = await browser.submit(`${pageOf(provider.name)}/display-name`, {
      decision: 'reject',
      text: 'Westpac Rewards',
      name_reason: '',
    })
    expect(noReason.status).toBe(422)
    const error = /id="f-name_reason-error">([\s\S]*?)<\/p>/.exec(noReason.html)?.[1] ?? ''
    expect(textOf(error)).toBe('Error: Required when rejecting: the provider reads it.')

    await askFor(app, provider, 'Westpac Rewards Plus')
    const stale = await browser.submit(`${pageOf(provider.name)}/display-name`, {
      decision: 'reject',
      text: 'Westpac Rewards',
      name_reason: 'Reads as a bank',
    })
    expect(stale.status).toBe(422)
    expect(textOf(stale.html)).toContain('now asks for “Westpac Rewards Plus”')

    const rejected = await browser.submit(`${pageOf(provider.name)}/display-name`, {
      decision: 'reject',
      text: 'Westpac Rewards Plus',
      name_reason: 'Reads as a bank',
    })
    expect(rejected.status).toBe(200)
    const text = textOf(rejected.html)
    expect(text).toContain('“Westpac Rewards Plus” is refused')
    expect(text).toContain('Refused “Westpac Rewards Plus”: Reads as a bank')
  })

  test('a support contact waits on the provider’s page and the list; approving shows it to customers', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const contact = 'https://help.acme.example/cashout'
    const set = await call(app, 'POST', '/cashout/profile', {
      key: provider.key,
      body: { support_contact: contact },
    })
    expect(set.status).toBe(200)
    const browser = await operatorIn(app)
    const list = await browser.open('/console/operator')
    expect(list.html).toContain(`href="${pageOf(provider.name)}#support-contact"`)
    expect(textOf(list.html)).toContain('Contact to review')
    const page = textOf((await browser.open(pageOf(provider.name))).html)
    expect(page).toContain(`Asks to show customers “Need help?” with “${contact}”`)
    expect(page).toContain('Customers now see no contact.')

    const noReason = await browser.submit(`${pageOf(provider.name)}/support-contact`, {
      decision: 'reject',
      text: contact,
      contact_reason: '',
    })
    expect(noReason.status).toBe(422)
    const error = /id="f-contact_reason-error">([\s\S]*?)<\/p>/.exec(noReason.html)?.[1] ?? ''
    expect(textOf(error)).toBe('Error: Required when rejecting: the provider reads it.')

    const approved = await browser.submit(`${pageOf(provider.name)}/support-contact`, {
      decision: 'approve',
      text: contact,
    })
    expect(approved.status).toBe(200)
    expect(textOf(approved.html)).toContain(`“${contact}” is approved`)
    expect(textOf(approved.html)).toContain(`Customers see “${contact}”.`)
    const profile = await call(app, 'GET', '/cashout/profile', { key: provider.key })
    expect(profile.body).toMatchObject({
      support_contact_status: 'approved',
      support_contact_approved: contact,
    })
    const withdrawn = await browser.submit(`${pageOf(provider.name)}/support-contact`, {
      decision: 'reject',
      text: contact,
      contact_reason: 'The address asks customers to sign in',
    })
    expect(withdrawn.status).toBe(200)
    expect(textOf(withdrawn.html)).toContain(
      `“${contact}” is refused: ${provider.name}’s claim pages show no contact.`,
    )
  })

  test('a provider’s page names the other providers holding its card', async ({ harness }) => {
    const { app } = harness
    const pan = '4000001234567899'
    const first = await registerProvider(app, { pan })
    const second = await registerProvider(app, { pan })
    const alone = await registerProvider(app, { pan: '6392110000000000002' })
    const browser = await operatorIn(app)
    const page = await browser.open(pageOf(first.name))
    expect(textOf(page.html)).toContain(`Same card as ${second.name}`)
    expect(page.html).toContain(`href="${pageOf(second.name)}"`)
    expect(page.html).not.toContain(pan)
    const lone = textOf((await browser.open(pageOf(alone.name))).html)
    expect(lone).not.toContain('Same card as')
  })
})
