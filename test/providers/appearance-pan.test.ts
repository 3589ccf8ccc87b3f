import { describe, expect } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import { csrfOf, textOf } from '../support/browserish.ts'
import {
  call,
  expectError,
  fundedProvider,
  generate,
  registerProvider,
  VALID_PAN,
} from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

type Detail = { field: string; message: string }

async function appearanceOf(db: Db, name: string) {
  return db
    .selectFrom('providers')
    .select(['display_name', 'accent_colour', 'support_contact'])
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
}

async function settingsChanges(db: Db) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.changed').execute()
}

const NOTHING_SET = { display_name: null, accent_colour: null, support_contact: null }

/** Two of the card's groups side by side, however separated. */
function leaks(text: string) {
  return /(?:4111|1111)(?:[^0-9a-z]|%[0-9a-f]{2}){0,9}1111/i.test(text)
}

describe('text that is not valid Unicode is refused before it reaches the database', () => {
  test.for([
    ['support_contact', 'a\ud800@example.com', 'a high surrogate'],
    ['support_contact', 'a\udc00@example.com', 'a low surrogate'],
    ['support_contact', 'https://help.example.com/\ud800', 'a surrogate in a web address'],
    ['display_name', 'Acme \udc00 Rewards', 'a low surrogate'],
  ] as [string, string, string][])(
    'POST /cashout/profile with %s holding %s is 422 naming the field; nothing is stored',
    async ([field, value], { harness, db }) => {
      const p = await registerProvider(harness.app)
      const reply = await call(harness.app, 'POST', '/cashout/profile', {
        key: p.key,
        body: { [field]: value },
      })
      expectError(reply, 422, 'validation_failed')
      expect(reply.body.details.map((d: Detail) => d.field)).toEqual([field])
      expect(await appearanceOf(db, p.name)).toEqual(NOTHING_SET)
      expect(await settingsChanges(db)).toEqual([])
    },
  )

  test('the console’s settings form cannot carry one: its bytes are not UTF-8, so it is a 400', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    const csrf = csrfOf((await browser.open('/console/settings')).html)
    // U+D800 encoded as if it were a character: ED A0 80, which UTF-8 does not allow.
    const body = `csrf=${encodeURIComponent(csrf)}&display_name=&accent_colour=&support_contact=a%ED%A0%80%40example.com`
    const reply = await browser.request('/console/settings', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Sec-Fetch-Site': 'same-origin',
        Origin: 'null',
      },
      body,
    })
    expect(reply.status).toBe(400)
    expect(await appearanceOf(db, provider.name)).toEqual(NOTHING_SET)
    expect(await settingsChanges(db)).toEqual([])
  })
})

/** The card 4111 1111 1111 1111 as a person might paste it into a name. */
const PASTED_CARDS = [
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '4111111111111111',
  '4111.1111.1111.1111',
  '4111\u00a01111\u00a01111\u00a01111',
  'Card 4111 1111 1111 1111 rewards',
]

describe('a card number cannot be a display name or a support contact', () => {
  test.for(PASTED_CARDS)(
    'POST /cashout/profile with the display name %j is 422 naming it; nothing is stored or echoed',
    async (name, { harness, db }) => {
      const p = await registerProvider(harness.app)
      const reply = await call(harness.app, 'POST', '/cashout/profile', {
        key: p.key,
        body: { display_name: name },
      })
      expectError(reply, 422, 'validation_failed')
      const details: Detail[] = reply.body.details
      expect(details.map((d) => d.field)).toEqual(['display_name'])
      expect(details[0]?.message).toMatch(/card number/)
      expect(leaks(JSON.stringify(reply.body))).toBe(false)
      expect(await appearanceOf(db, p.name)).toEqual(NOTHING_SET)
      expect(await settingsChanges(db)).toEqual([])
      expect(leaks(harness.logs.lines.join('\n'))).toBe(false)
    },
  )

  test.for([
    '4111.1111.1111.1111@example.com',
    `help+${VALID_PAN}@example.com`,
    'https://help.example.com/cards/4111-1111-1111-1111',
  ])(
    'POST /cashout/profile with the support contact %s is 422 naming it; nothing is stored',
    async (contact, { harness, db }) => {
      const p = await registerProvider(harness.app)
      const reply = await call(harness.app, 'POST', '/cashout/profile', {
        key: p.key,
        body: { support_contact: contact },
      })
      expectError(reply, 422, 'validation_failed')
      const details: Detail[] = reply.body.details
      expect(details.map((d) => d.field)).toEqual(['support_contact'])
      expect(details[0]?.message).toMatch(/card number/)
      expect(await appearanceOf(db, p.name)).toEqual(NOTHING_SET)
    },
  )

  test('the console’s settings form refuses a card number as the display name, beside the field', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await browser.open('/console/settings')
    const page = await browser.submit('/console/settings', {
      display_name: '4111 1111 1111 1111',
      accent_colour: '',
      support_contact: '',
    })
    expect(page.status).toBe(422)
    expect(textOf(page.html)).toMatch(/card number/)
    expect(await appearanceOf(db, provider.name)).toEqual(NOTHING_SET)
    expect(await settingsChanges(db)).toEqual([])
  })

  test('names and contacts with ordinary numbers in them are still accepted', async ({
    harness,
    db,
  }) => {
    const p = await registerProvider(harness.app)
    const reply = await call(harness.app, 'POST', '/cashout/profile', {
      key: p.key,
      body: { display_name: 'Acme 24/7 Rewards 2026', support_contact: '1300 123 456' },
    })
    expect(reply.status).toBe(200)
    expect(await appearanceOf(db, p.name)).toMatchObject({
      display_name: 'Acme 24/7 Rewards 2026',
      support_contact: '1300 123 456',
    })
  })
})

describe('a card number cannot be the name on a bank account', () => {
  test.for(['4111 1111 1111 1111', '4111111111111111', 'Jane 4111 1111 1111 1111'])(
    'submitting a claim to %j is 422 naming account_name; the claim stays open',
    async (accountName, { harness }) => {
      const provider = await fundedProvider(harness.app)
      const claim = (await generate(harness.app, provider, { amount: 2500, id: 'pan-name' })).body
      const reply = await call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/submit`, {
        key: provider.key,
        body: {
          type: 'bank',
          account_name: accountName,
          bsb: '062-000',
          account_number: '12345678',
        },
      })
      expectError(reply, 422, 'validation_failed')
      const details: Detail[] = reply.body.details
      const named = details.find((d) => d.field.endsWith('account_name'))
      expect(named?.message).toMatch(/card number/)
      expect(leaks(JSON.stringify(reply.body))).toBe(false)
      const after = await call(harness.app, 'GET', `/cashout/claims/${claim.uuid}`, {
        key: provider.key,
      })
      expect(after.body.status).toBe('open')
      expect(leaks(harness.logs.lines.join('\n'))).toBe(false)
    },
  )

  test('a name on the account with a few digits is still sent', async ({ harness }) => {
    const provider = await fundedProvider(harness.app)
    const claim = (await generate(harness.app, provider, { amount: 2500, id: 'digits' })).body
    const reply = await call(harness.app, 'POST', `/cashout/claims/${claim.uuid}/submit`, {
      key: provider.key,
      body: {
        type: 'bank',
        account_name: 'Jane Citizen 2',
        bsb: '062-000',
        account_number: '12345678',
      },
    })
    expect(reply.status).toBe(200)
    expect(reply.body.payout?.destination).toMatchObject({ account_name: 'Jane Citizen 2' })
  })
})
