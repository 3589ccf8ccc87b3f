import { describe, expect } from 'vitest'
import { Browserish, csrfOf, textOf } from '../support/browserish.ts'
import { fundedProvider, generate } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

type App = Parameters<typeof fundedProvider>[0]

const SAME_SITE = { 'Sec-Fetch-Site': 'same-origin', Origin: 'null' }
const FORM = { ...SAME_SITE, 'Content-Type': 'application/x-www-form-urlencoded' }

/** Builds a urlencoded body by hand, so a test can put in it what no browser would send. */
function rawBody(parts: string[]): string {
  return parts.join('&')
}

async function openClaim(app: App) {
  const provider = await fundedProvider(app, 1_000_000)
  const claim = (await generate(app, provider, { amount: 2500, id: `f-${Math.random()}` })).body
  const browser = new Browserish(app, '203.0.113.40')
  const csrf = csrfOf((await browser.get(`/c/${claim.uuid}`)).html)
  const fields = (name: string) => [
    `csrf=${encodeURIComponent(csrf)}`,
    'type=bank',
    `account_name=${name}`,
    'bsb=062-000',
    'account_number=12345678',
    'action=continue',
  ]
  return { claim, browser, path: `/c/${claim.uuid}`, fields }
}

describe('claim page form posts are read strictly', () => {
  test('a name in proper UTF-8 (Zoë, 黄) is read as typed, then judged by the bank rules', async ({
    harness,
  }) => {
    const { browser, path, fields } = await openClaim(harness.app)
    const reply = await browser.request(path, {
      method: 'POST',
      headers: FORM,
      body: rawBody(fields(encodeURIComponent('Zoë 黄 Citizen'))),
    })
    // The bank transfer takes plain letters only: the form comes back with the name as typed.
    expect(reply.html).toContain('value="Zoë 黄 Citizen"')
    expect(textOf(reply.html)).toContain('letters, digits, spaces and apostrophes only')
    expect(textOf(reply.html)).not.toContain('could not be read')
  })

  test.for([
    ['a %FF escape', 'note=Jane%FFCitizen'],
    ['a %FE escape', 'note=Jane%FECitizen'],
    ['a lone continuation byte', 'note=Jane%80'],
    ['a broken escape', 'note=Jane%ZZ'],
    ['a field sent twice', 'account_number=87654321'],
  ] as [string, string][])(
    '%s is refused with 400, and the claim stays open',
    async ([, tail], { harness, db }) => {
      const { browser, path, fields, claim } = await openClaim(harness.app)
      const body = `${rawBody(fields('Jane'))}&${tail}`
      const reply = await browser.request(path, { method: 'POST', headers: FORM, body })
      expect(reply.status).toBe(400)
      expect(textOf(reply.html)).toContain('could not be read')
      expect(textOf(reply.html)).not.toContain('Jane')
      const row = await db
        .selectFrom('claims')
        .select(['status'])
        .where('id', '=', claim.uuid)
        .executeTakeFirstOrThrow()
      expect(row.status).toBe('open')
    },
  )

  test('an invalid UTF-8 byte sent raw is refused with 400', async ({ harness }) => {
    const { browser, path, fields } = await openClaim(harness.app)
    const head = new TextEncoder().encode(`${rawBody(fields('Jane'))}&note=`)
    const body = new Uint8Array([...head, 0xff, 0x41])
    const reply = await browser.request(path, { method: 'POST', headers: FORM, body })
    expect(reply.status).toBe(400)
    expect(textOf(reply.html)).toContain('could not be read')
  })

  test('a multipart post, which our pages never send, is refused with 400', async ({ harness }) => {
    const { browser, path, fields } = await openClaim(harness.app)
    const form = new FormData()
    for (const pair of fields('Jane')) {
      const [key = '', value = ''] = pair.split('=')
      form.set(key, decodeURIComponent(value))
    }
    const reply = await browser.request(path, { method: 'POST', headers: SAME_SITE, body: form })
    expect(reply.status).toBe(400)
  })
})

describe('console form posts are read strictly', () => {
  test('a %FF escape in a setting is refused with 400, and nothing is saved', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await browser.open('/console/settings')
    const body = rawBody([
      `csrf=${encodeURIComponent(browser.csrf)}`,
      'display_name=Acme%FFRewards',
      'accent_colour=%235b1a8f',
      'support_contact=help%40acme.example',
    ])
    const reply = await browser.request('/console/settings', {
      method: 'POST',
      headers: FORM,
      body,
    })
    expect(reply.status).toBe(400)
    expect(textOf(reply.html)).toContain('could not be read')
    const row = await db
      .selectFrom('providers')
      .select(['display_name', 'accent_colour'])
      .where('name', '=', provider.name)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ display_name: null, accent_colour: null })
  })

  test('a setting sent twice is refused with 400', async ({ harness }) => {
    const { browser } = await ownerOf(harness.app)
    await browser.open('/console/settings')
    const body = rawBody([
      `csrf=${encodeURIComponent(browser.csrf)}`,
      'display_name=Acme',
      'display_name=Other',
    ])
    const reply = await browser.request('/console/settings', {
      method: 'POST',
      headers: FORM,
      body,
    })
    expect(reply.status).toBe(400)
  })

  test('the same setting in proper UTF-8 is saved as typed', async ({ harness, db }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await browser.open('/console/settings')
    const reply = await browser.submit('/console/settings', {
      display_name: 'Café Rewards',
      accent_colour: '#5b1a8f',
      support_contact: 'help@acme.example',
    })
    expect(reply.status).toBe(303)
    const row = await db
      .selectFrom('providers')
      .select(['display_name'])
      .where('name', '=', provider.name)
      .executeTakeFirstOrThrow()
    expect(row.display_name).toBe('Café Rewards')
  })
})
