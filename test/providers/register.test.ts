import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { buildTestApp } from '../support/app.ts'
import {
  call,
  expectError,
  IPIN,
  registration,
  VALID_PAN,
  VALID_PAN_19,
} from '../support/client.ts'
import { test } from '../support/fixtures.ts'

describe('POST /cashout/register', () => {
  test('registers a provider and returns its key and signing secret once', async ({ harness }) => {
    const body = registration({ pan: '4111 1111-1111 1111' })
    const reply = await call(harness.app, 'POST', '/cashout/register', { body })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({
      result: 'ok',
      name: body.name,
      endpoint: 'https://hooks.example.com/cashout',
      card_last4: '1111',
    })
    expect(reply.body.api_key).toMatch(/^ck_test_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/)
    expect(reply.body).toMatchObject({ live_api_key: null, live_api_key_id: null })
    expect(reply.body.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)

    const profile = await call(harness.app, 'GET', '/cashout/profile', { key: reply.body.api_key })
    expect(profile.status).toBe(200)
    expect(profile.body).toMatchObject({ name: body.name, card_last4: '1111' })
    expect(JSON.stringify(profile.body)).not.toContain('api_key')
  })

  test('accepts a 19-digit card', async ({ harness }) => {
    const reply = await call(harness.app, 'POST', '/cashout/register', {
      body: registration({ pan: VALID_PAN_19 }),
    })
    expect(reply.status).toBe(200)
    expect(reply.body.card_last4).toBe('0002')
  })

  test('starts with the default rule and an empty float', async ({ harness }) => {
    const reply = await call(harness.app, 'POST', '/cashout/register', { body: registration() })
    const key = reply.body.api_key
    const rule = await call(harness.app, 'GET', '/cashout/rules', { key })
    expect(rule.body).toMatchObject({
      version: 1,
      currency: 'AUD',
      rate: { points: 1, cash_minor: 1 },
      fee: { fixed_minor: 0, bps: 0, payer: 'provider' },
      claim_lifetime_seconds: 604800,
    })
    const balance = await call(harness.app, 'GET', '/cashout/balance', { key })
    expect(balance.body).toMatchObject({ available_minor: 0, reserved_minor: 0 })
  })

  test.for([
    ['consent false', { consent: false }, 'consent'],
    ['consent as a string', { consent: 'true' }, 'consent'],
    ['a card number failing Luhn', { pan: '4111111111111112' }, 'pan'],
    ['a 15-digit card number', { pan: '411111111111111' }, 'pan'],
    ['a card number with letters', { pan: '4111x11111111111' }, 'pan'],
    ['a card number as a JSON number', { pan: 4111111111111111 }, 'pan'],
    ['an expired card', { expDate: '2602' }, 'expDate'],
    ['an expiry in MM/YY', { expDate: '12/29' }, 'expDate'],
    ['month 13', { expDate: '2913' }, 'expDate'],
    ['a 3-digit IPIN', { ipin: '123' }, 'ipin'],
    ['an IPIN as a number', { ipin: 1234 }, 'ipin'],
    ['an http endpoint', { endpoint: 'http://hooks.example.com/x' }, 'endpoint'],
    ['a loopback endpoint', { endpoint: 'http://127.0.0.1:9000/hook' }, 'endpoint'],
    ['a metadata-service endpoint', { endpoint: 'https://169.254.169.254/' }, 'endpoint'],
    ['a private endpoint', { endpoint: 'https://10.1.2.3/hook' }, 'endpoint'],
    ['an endpoint with credentials', { endpoint: 'https://a:b@hooks.example.com/' }, 'endpoint'],
    ['an endpoint that is not a URL', { endpoint: 'hooks' }, 'endpoint'],
    ['an upper-case name', { name: 'Acme' }, 'name'],
    ['a name with spaces', { name: 'acme rewards' }, 'name'],
    ['a two-letter name', { name: 'ab' }, 'name'],
    ['a name ending in a hyphen', { name: 'acme-' }, 'name'],
    ['a missing name', { name: undefined }, 'name'],
  ] as [string, Record<string, unknown>, string][])(
    'refuses %s with a 422 naming the field',
    async ([, overrides, field], { harness }) => {
      const reply = await call(harness.app, 'POST', '/cashout/register', {
        body: registration(overrides),
      })
      expectError(reply, 422, 'validation_failed')
      expect(reply.body.details.map((d: { field: string }) => d.field)).toContain(field)
      expect(JSON.stringify(reply.body)).not.toContain(VALID_PAN)
    },
  )

  test('names every bad field at once', async ({ harness }) => {
    const reply = await call(harness.app, 'POST', '/cashout/register', { body: {} })
    expectError(reply, 422, 'validation_failed')
    expect(reply.body.details.map((d: { field: string }) => d.field).sort()).toEqual(
      ['consent', 'endpoint', 'expDate', 'ipin', 'name', 'pan'].sort(),
    )
  })

  test('refuses a taken name with item_exists and changes nothing', async ({ harness, db }) => {
    const first = await call(harness.app, 'POST', '/cashout/register', { body: registration() })
    const again = await call(harness.app, 'POST', '/cashout/register', {
      body: registration({ name: first.body.name, endpoint: 'https://other.example.com/x' }),
    })
    expectError(again, 409, 'item_exists')
    const profile = await call(harness.app, 'GET', '/cashout/profile', { key: first.body.api_key })
    expect(profile.body.endpoint).toBe('https://hooks.example.com/cashout')
    const counts = await db
      .selectFrom('ledger_accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('provider_id', 'is not', null)
      .executeTakeFirstOrThrow()
    // One provider's accounts: five kinds (its float and its side of the platform) in two modes.
    expect(Number(counts.n)).toBe(10)
  })

  test('allows loopback http endpoints where the operator allows them', async ({ db }) => {
    const { app } = buildTestApp(db, { env: { ALLOW_LOOPBACK_ENDPOINTS: 'true' } })
    const reply = await call(app, 'POST', '/cashout/register', {
      body: registration({ endpoint: 'http://localhost:9000/hook' }),
    })
    expect(reply.status).toBe(200)
    expect(reply.body.endpoint).toBe('http://localhost:9000/hook')
  })

  test('asks for the registration token when the operator sets one', async ({ db }) => {
    const token = 'registration-token-0123456789'
    const { app } = buildTestApp(db, { env: { REGISTRATION_TOKEN: token } })
    const none = await call(app, 'POST', '/cashout/register', { body: registration() })
    expectError(none, 401, 'unauthorized')
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    const wrong = await call(app, 'POST', '/cashout/register', {
      body: registration(),
      key: `${token}x`,
    })
    expectError(wrong, 401, 'unauthorized')
    const right = await call(app, 'POST', '/cashout/register', { body: registration(), key: token })
    expect(right.status).toBe(200)
  })
})

describe('card data', () => {
  test('the card number is stored only encrypted, and the IPIN not at all', async ({
    harness,
    db,
  }) => {
    const reply = await call(harness.app, 'POST', '/cashout/register', { body: registration() })
    expect(reply.status).toBe(200)

    const tables = ['providers', 'api_keys', 'rules', 'ledger_accounts', 'events']
    for (const table of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)
      const dump = JSON.stringify(rows.rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))
      expect(dump, table).not.toContain(VALID_PAN)
      expect(dump, table).not.toContain('"ipin"')
    }
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_schema = 'public'
    `.execute(db)
    expect(columns.rows.map((c) => c.column_name)).not.toContainEqual(expect.stringMatching(/pin/))

    const provider = await db
      .selectFrom('providers')
      .selectAll()
      .where('name', '=', reply.body.name)
      .executeTakeFirstOrThrow()
    expect(provider.card_jwe.split('.')).toHaveLength(5)
    expect(JSON.parse(atob(provider.card_jwe.split('.')[0] ?? ''))).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
      kid: 'test-1',
    })
    const opened = JSON.parse(await harness.deps.vault.open(provider.card_jwe))
    expect(opened).toEqual({ pan: VALID_PAN, exp: '2912' })
    expect(provider.card_pan_hmac).toBe(await harness.deps.vault.hmac(VALID_PAN))
  })

  test('no log line carries the card number or the IPIN', async ({ harness }) => {
    await call(harness.app, 'POST', '/cashout/register', { body: registration() })
    await call(harness.app, 'POST', '/cashout/register', { body: registration({ consent: false }) })
    await call(harness.app, 'POST', '/cashout/register', { body: registration({ pan: 'bad' }) })
    const logs = harness.logs.lines.join('\n')
    expect(logs).not.toContain(VALID_PAN)
    expect(logs).not.toContain(IPIN)
  })

  test('a card already registered elsewhere is noted for the operator, not the caller', async ({
    harness,
  }) => {
    await call(harness.app, 'POST', '/cashout/register', { body: registration() })
    const second = await call(harness.app, 'POST', '/cashout/register', { body: registration() })
    expect(second.status).toBe(200)
    expect(JSON.stringify(second.body)).not.toMatch(/other|shared|already/i)
    expect(
      harness.logs.entries().some((e) => e.msg === 'card already registered to another provider'),
    ).toBe(true)
  })
})
