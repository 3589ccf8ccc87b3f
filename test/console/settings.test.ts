import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { OPERATOR } from '../../src/audit/record.ts'
import { issueLink } from '../../src/console/links.ts'
import type { Db, MemberRole } from '../../src/db/schema.ts'
import {
  checkAccentColour,
  checkDisplayName,
  checkSupportContact,
  contactLink,
  contrastRatio,
  formatRatio,
} from '../../src/providers/appearance.ts'
import { buildTestApp, LIVE_ENV, OPERATOR_TOKEN } from '../support/app.ts'
import { Browserish, csrfOf, textOf } from '../support/browserish.ts'
import { call, credit, expectError, generate, type TestProvider } from '../support/client.ts'
import { type ConsoleBrowser, join, ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

const GOOD = {
  display_name: 'Acme Rewards Club',
  accent_colour: '#5B1A8F',
  support_contact: 'help@acme.example',
}

async function providerRow(db: Db, name: string) {
  return db.selectFrom('providers').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
}

/** A member of `provider` with `role`, signed in through an invite link. */
async function memberWith(app: App, db: Db, provider: TestProvider, role: MemberRole) {
  const link = await issueLink(db, {
    providerId: (await providerRow(db, provider.name)).id,
    kind: 'invite',
    role,
    actor: OPERATOR,
    publicUrl: 'http://cashout.test',
    now: new Date('2026-03-01T00:00:00Z'),
  })
  return (await join(app, link.url)).browser
}

async function openSettings(browser: ConsoleBrowser) {
  const page = await browser.open('/console/settings')
  expect(page.status).toBe(200)
  return page
}

/** The error shown beside one field, and the field's markup. */
function fieldOf(html: string, name: string) {
  const fields = [...html.matchAll(/<div class="field( has-error)?">([\s\S]*?)<\/div>/g)]
  const found = fields.find((m) => m[2]?.includes(`name="${name}"`))
  return { errored: Boolean(found?.[1]), html: found?.[2] ?? '', text: textOf(found?.[2] ?? '') }
}

async function claimPage(app: App, provider: TestProvider) {
  await credit(app, provider.name, 100_000)
  const claim = (await generate(app, provider, { amount: 2500, id: `s-${Math.random()}` })).body
  return `/c/${claim.uuid}`
}

describe('appearance rules', () => {
  test.for([
    ['#ffffff', '#000000', '21.00'],
    ['#ffffff', '#ffffff', '1.00'],
    ['#ffffff', '#ffff00', '1.07'],
    ['#ffffff', '#767676', '4.54'],
    ['#ffffff', '#777777', '4.47'],
    ['#ffffff', '#0a5c36', '8.08'],
  ] as [string, string, string][])('contrast of %s on %s is %s:1', ([a, b, ratio]) => {
    expect(formatRatio(contrastRatio(a, b))).toBe(ratio)
    expect(formatRatio(contrastRatio(b, a))).toBe(ratio)
  })

  test('an accent passes only when white text on it reaches 4.5:1', () => {
    expect(checkAccentColour('#767676')).toEqual({ ok: true, value: '#767676' })
    expect(checkAccentColour(' #5B1A8F ')).toEqual({ ok: true, value: '#5b1a8f' })
    expect(checkAccentColour('#777777')).toMatchObject({ ok: false })
    expect(checkAccentColour('#ffff00')).toEqual({
      ok: false,
      message:
        'White text on #ffff00 has a contrast ratio of 1.07:1; it needs at least 4.5:1. Choose a darker colour.',
    })
    for (const bad of ['5b1a8f', '#5b1a8', 'purple', '#5b1a8fff', 'rgb(1,2,3)']) {
      expect(checkAccentColour(bad)).toMatchObject({
        ok: false,
        message: expect.stringContaining('#rrggbb'),
      })
    }
  })

  test('a display name is 1 to 60 characters without control or invisible characters', () => {
    expect(checkDisplayName('  Acme Rewards  ')).toEqual({ ok: true, value: 'Acme Rewards' })
    expect(checkDisplayName('Café ☕ Points')).toMatchObject({ ok: true })
    expect(checkDisplayName('é'.repeat(60))).toMatchObject({ ok: true })
    for (const bad of [
      '',
      '   ',
      'x'.repeat(61),
      'Acme\nRewards',
      'Acme\u202eRewards',
      'A\u0000',
    ]) {
      expect(checkDisplayName(bad)).toMatchObject({ ok: false })
    }
  })

  test.for([
    ['help@acme.example', 'mailto:help@acme.example'],
    ['https://acme.example/help', 'https://acme.example/help'],
    ['1300 123 456', 'tel:1300123456'],
    ['13 12 34', 'tel:131234'],
    ['(02) 9876 5432', 'tel:+61298765432'],
    ['0412 345 678', 'tel:+61412345678'],
    ['+61 412 345 678', 'tel:+61412345678'],
  ] as [string, string][])('the support contact %s is accepted and links to %s', ([raw, href]) => {
    const checked = checkSupportContact(raw)
    expect(checked.ok).toBe(true)
    if (checked.ok) expect(contactLink(checked.value).href).toBe(href)
  })

  test.for([
    'http://acme.example/help',
    'https://user:pw@acme.example/',
    'https://intranet/',
    'javascript:alert(1)',
    'help@',
    'call us',
    '555 1234',
    '+1 212 555 0100',
    '0512 345 678',
  ])('the support contact %s is refused', (raw) => {
    expect(checkSupportContact(raw).ok).toBe(false)
  })
})

describe('console settings', () => {
  test('an owner sets what the claim page shows; it is in the audit log', async ({
    harness,
    db,
  }) => {
    const { browser, provider, email } = await ownerOf(harness.app)
    const page = textOf((await openSettings(browser)).html)
    expect(page).toContain('What your customers see')
    const saved = await browser.submit('/console/settings', GOOD)
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe('/console/settings?done=saved')
    const row = await providerRow(db, provider.name)
    expect(row).toMatchObject({
      display_name: 'Acme Rewards Club',
      accent_colour: '#5b1a8f',
      support_contact: 'help@acme.example',
    })
    const after = await browser.open('/console/settings?done=saved')
    expect(textOf(after.html)).toContain('Saved.')
    expect(textOf(after.html)).toContain('White text on #5b1a8f: 10.')
    expect(after.html).toContain(`/assets/provider/${row.id}.css?v=`)

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'settings.changed')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actor_type: 'member',
      actor_label: email,
      before: { display_name: null, accent_colour: null, support_contact: null },
      after: {
        display_name: 'Acme Rewards Club',
        accent_colour: '#5b1a8f',
        support_contact: 'help@acme.example',
      },
    })

    // Saving the same again changes nothing and logs nothing; an empty field clears.
    await openSettings(browser)
    await browser.submit('/console/settings', GOOD)
    await browser.submit('/console/settings', { ...GOOD, support_contact: '' })
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'settings.changed')
      .orderBy('created_at')
      .execute()
    expect(rows).toHaveLength(2)
    expect(rows[1]).toMatchObject({
      before: { support_contact: 'help@acme.example' },
      after: { support_contact: null },
    })
  })

  test('a light accent colour is refused with its ratio beside the field; nothing changes', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await openSettings(browser)
    const page = await browser.submit('/console/settings', { ...GOOD, accent_colour: '#ffff00' })
    expect(page.status).toBe(422)
    const field = fieldOf(page.html, 'accent_colour')
    expect(field.errored).toBe(true)
    expect(field.text).toContain(
      'White text on #ffff00 has a contrast ratio of 1.07:1; it needs at least 4.5:1.',
    )
    expect(field.html).toContain('value="#ffff00"')
    expect(fieldOf(page.html, 'display_name').html).toContain('value="Acme Rewards Club"')
    expect(textOf(page.html)).toContain('There is a problem')
    const row = await providerRow(db, provider.name)
    expect(row).toMatchObject({ display_name: null, accent_colour: null, support_contact: null })
  })

  test('every bad field is reported at once', async ({ harness }) => {
    const { browser } = await ownerOf(harness.app)
    await openSettings(browser)
    const page = await browser.submit('/console/settings', {
      display_name: 'x'.repeat(61),
      accent_colour: 'purple',
      support_contact: 'call us',
    })
    expect(page.status).toBe(422)
    expect(fieldOf(page.html, 'display_name').text).toContain('Must be 1 to 60 characters.')
    expect(fieldOf(page.html, 'accent_colour').text).toContain('#rrggbb')
    expect(fieldOf(page.html, 'support_contact').text).toContain('an Australian phone number')
  })

  test('editors and viewers read the settings but cannot change them', async ({ harness, db }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await openSettings(browser)
    await browser.submit('/console/settings', GOOD)
    for (const role of ['editor', 'viewer'] as const) {
      const member = await memberWith(harness.app, db, provider, role)
      const page = await openSettings(member)
      expect(textOf(page.html)).toContain('Only owners change these settings.')
      expect(textOf(page.html)).toContain('Acme Rewards Club')
      expect(page.html).not.toContain('action="/console/settings"')
      const refused = await member.submit('/console/settings', {
        ...GOOD,
        display_name: 'Hijacked',
      })
      expect(refused.status).toBe(403)
      expect(textOf(refused.html)).toContain(`Your role (${role}) cannot do this.`)
    }
    expect((await providerRow(db, provider.name)).display_name).toBe('Acme Rewards Club')
    const audit = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'settings.changed')
      .execute()
    expect(audit).toHaveLength(1)
  })

  test('the settings page says when the operator has suspended the provider', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await db
      .updateTable('providers')
      .set({ suspended_at: new Date('2026-03-01T00:00:00Z'), suspended_reason: 'Unpaid invoice' })
      .where('name', '=', provider.name)
      .execute()
    const page = textOf((await openSettings(browser)).html)
    expect(page).toContain('The operator suspended this provider on 1 Mar 2026')
    expect(page).toContain('Unpaid invoice')
  })
})

describe('the claim page shows the settings', () => {
  test('display name, accent stylesheet and support contact', async ({ harness, db }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await openSettings(browser)
    await browser.submit('/console/settings', { ...GOOD, support_contact: '1300 123 456' })
    // A display name other than the plain name, and any support contact, show once the
    // operator approves them.
    const before = textOf(
      (await new Browserish(harness.app).get(await claimPage(harness.app, provider))).html,
    )
    expect(before).not.toContain('Acme Rewards Club')
    expect(before).not.toContain('Need help?')
    const waiting = textOf((await openSettings(browser)).html)
    expect(waiting).toContain('“Acme Rewards Club” is waiting for the operator’s review')
    expect(waiting).toContain(
      '“1300 123 456” is waiting for the operator’s review, since a contact beside a payout form must be checked first. Until then customers see no contact.',
    )
    for (const [path, body] of [
      ['display-name', { display_name: GOOD.display_name }],
      ['support-contact', { support_contact: '1300 123 456' }],
    ] as const) {
      const approved = await call(
        harness.app,
        'POST',
        `/operator/providers/${provider.name}/${path}`,
        { key: OPERATOR_TOKEN, body: { approve: true, ...body } },
      )
      expect(approved.status).toBe(200)
    }
    expect(textOf((await openSettings(browser)).html)).not.toContain('waiting for the operator')
    const path = await claimPage(harness.app, provider)
    const page = await new Browserish(harness.app).get(path)
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    expect(text).toContain('Acme Rewards Club')
    expect(text).toContain('Need help? 1300 123 456')
    expect(page.html).toContain('href="tel:1300123456"')
    expect(page.html).toContain('<body class="provider-theme">')
    expect(page.html).not.toMatch(/\sstyle="/)
    const { id } = await providerRow(db, provider.name)
    const href = new RegExp(`href="(/assets/provider/${id}\\.css\\?v=[a-z0-9]+)"`).exec(
      page.html,
    )?.[1]
    expect(href).toBeDefined()

    const css = await harness.app.request(href ?? '')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('cache-control')).toContain('immutable')
    expect(await css.text()).toBe('.provider-theme { --brand: #5b1a8f; --brand-dark: #44146b; }\n')
    const stale = await harness.app.request(`/assets/provider/${id}.css?v=old`)
    expect(stale.headers.get('cache-control')).toBe('public, max-age=300')
    expect((await harness.app.request(`/assets/provider/${crypto.randomUUID()}.css`)).status).toBe(
      404,
    )
    expect((await harness.app.request('/assets/provider/nope.css')).status).toBe(404)
  })

  test('without settings the page shows the provider’s name and Cashout’s colours', async ({
    harness,
  }) => {
    const { provider } = await ownerOf(harness.app)
    const page = await new Browserish(harness.app).get(await claimPage(harness.app, provider))
    expect(page.html).not.toContain('/assets/provider/')
    expect(page.html).not.toContain('Need help?')
    expect(page.html).toContain('<body>')
  })

  test('an open claim of a suspended provider is unavailable, to view and to post', async ({
    harness,
    db,
  }) => {
    const { provider } = await ownerOf(harness.app)
    const path = await claimPage(harness.app, provider)
    const customer = new Browserish(harness.app)
    const csrf = csrfOf((await customer.get(path)).html)
    const unknown = await customer.get(`/c/${crypto.randomUUID()}`)

    await db
      .updateTable('providers')
      .set({ suspended_at: new Date(), suspended_reason: 'testing' })
      .where('name', '=', provider.name)
      .execute()
    const page = await customer.get(path)
    expect(page.status).toBe(404)
    expect(textOf(page.html)).toBe(textOf(unknown.html))
    expect(textOf(page.html)).toContain('This cashout link isn’t available')

    const fields = {
      csrf,
      type: 'bank',
      account_name: 'Jane Citizen',
      bsb: '062000',
      account_number: '12345678',
    }
    const posted = await customer.post(path, fields)
    expect(posted.status).toBe(404)
    expect(textOf(posted.html)).toBe(textOf(unknown.html))
    const confirmed = await customer.post(`${path}/confirm`, fields)
    expect(confirmed.status).toBe(404)
    const claim = await db.selectFrom('claims').select('status').executeTakeFirstOrThrow()
    expect(claim.status).toBe('open')
    expect(await db.selectFrom('payouts').select('id').execute()).toHaveLength(0)

    await db.updateTable('providers').set({ suspended_at: null }).execute()
    expect((await customer.get(path)).status).toBe(200)
  })
})

describe('POST /cashout/profile with the claim page’s settings', () => {
  test('sets, shows and clears them; each change is audited under the key', async ({
    harness,
    db,
  }) => {
    const { provider } = await ownerOf(harness.app)
    const set = await call(harness.app, 'POST', '/cashout/profile', {
      key: provider.key,
      body: GOOD,
    })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({
      display_name: 'Acme Rewards Club',
      accent_colour: '#5b1a8f',
      support_contact: 'help@acme.example',
      endpoint: 'https://hooks.example.com/cashout',
    })
    const read = await call(harness.app, 'GET', '/cashout/profile', { key: provider.key })
    expect(read.body).toMatchObject({ display_name: 'Acme Rewards Club', accent_colour: '#5b1a8f' })

    const cleared = await call(harness.app, 'POST', '/cashout/profile', {
      key: provider.key,
      body: { accent_colour: null },
    })
    expect(cleared.body).toMatchObject({ accent_colour: null, display_name: 'Acme Rewards Club' })
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'settings.changed')
      .orderBy('created_at')
      .execute()
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({
      actor_type: 'key',
      actor_label: provider.key.split('_').slice(0, 3).join('_'),
    })
    expect(rows[1]).toMatchObject({
      before: { accent_colour: '#5b1a8f' },
      after: { accent_colour: null },
    })
  })

  test('an endpoint change by key is audited before → after', async ({ harness, db }) => {
    const { provider } = await ownerOf(harness.app)
    await call(harness.app, 'POST', '/cashout/profile', {
      key: provider.key,
      body: { endpoint: 'https://new.example.com/x' },
    })
    const [row] = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'webhook.endpoint_changed')
      .execute()
    expect(row).toMatchObject({
      actor_type: 'key',
      before: { endpoint: 'https://hooks.example.com/cashout' },
      after: { endpoint: 'https://new.example.com/x' },
    })
  })

  test.for([
    [
      'an unknown field',
      { display_name: 'Acme', colour: '#000000' },
      'colour',
      'Not a field of this request; remove it.',
    ],
    ['a light accent', { accent_colour: '#ffff00' }, 'accent_colour', 'contrast ratio of 1.07:1'],
    ['an empty display name', { display_name: '' }, 'display_name', 'Must be 1 to 60 characters.'],
    [
      'a bad support contact',
      { support_contact: 'ftp://x' },
      'support_contact',
      'Australian phone number',
    ],
    [
      'a card without its other fields',
      { display_name: 'Acme', pan: '4111111111111111' },
      'ipin',
      'go together',
    ],
    ['nothing', {}, 'body', 'Send at least one field'],
  ] as [string, Record<string, unknown>, string, string][])(
    'refuses %s with 422 naming the field, and changes nothing',
    async ([, body, field, message], { harness, db }) => {
      const { provider } = await ownerOf(harness.app)
      const reply = await call(harness.app, 'POST', '/cashout/profile', { key: provider.key, body })
      expectError(reply, 422, 'validation_failed')
      const detail = reply.body.details.find((d: { field: string }) => d.field === field)
      expect(detail?.message).toContain(message)
      const row = await providerRow(db, provider.name)
      expect(row).toMatchObject({ display_name: null, accent_colour: null, support_contact: null })
    },
  )

  test('with live keys held, only a live key changes them', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const { provider } = await ownerOf(app)
    const byTest = await call(app, 'POST', '/cashout/profile', { key: provider.key, body: GOOD })
    expectError(byTest, 403, 'live_key_required')
    const byLive = await call(app, 'POST', '/cashout/profile', {
      key: provider.liveKey ?? '',
      body: GOOD,
    })
    expect(byLive.status).toBe(200)
  })
})
