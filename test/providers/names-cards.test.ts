import { describe, expect } from 'vitest'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import {
  call,
  expectError,
  registerProvider,
  registration,
  VALID_PAN,
  VALID_PAN_19,
} from '../support/client.ts'
import { test } from '../support/fixtures.ts'

/** Live keys that pay real money: Hello Clever itself, not a rehearsal against a local sandbox. */
const REAL_LIVE_ENV = {
  ...LIVE_ENV,
  HELLO_CLEVER_BASE_URL: 'https://api.hello-clever.example/api',
  PUBLIC_URL: 'https://cashout.example',
}

/** A Luhn-valid number that is nobody's published test card. */
const REAL_LOOKING_PAN = '4000001234567899'

function fieldsOf(reply: { body: { details?: { field: string; message: string }[] } }) {
  return reply.body.details ?? []
}

describe('provider names at registration', () => {
  test.for([
    ['a card number', VALID_PAN, /card number/],
    ['a card number with hyphens', '4111-1111-1111-1111', /card number/],
    ['a name holding a card number', 'acme-411111111111', /card number/],
    ['the reserved name operator', 'operator', /reserved/],
    ['the reserved name console', 'console', /reserved/],
    ['the reserved name admin', 'admin', /reserved/],
    ['the reserved name api', 'api', /reserved/],
    ['a bank look-alike', 'commbank-rewards', /look like a bank/],
    ['a bank look-alike in digits', 'w3stpac', /look like a bank/],
    ['a bank as a word', 'rewards-anz', /look like a bank/],
    ['the rail', 'hello-clever', /look like a bank/],
  ] as [string, string, RegExp][])(
    'refuses %s with 422 naming the field, and registers nothing',
    async ([, name, message], { harness, db }) => {
      const reply = await call(harness.app, 'POST', '/cashout/register', {
        body: registration({ name }),
      })
      expectError(reply, 422, 'validation_failed')
      const detail = fieldsOf(reply).find((d) => d.field === 'name')
      expect(detail?.message).toMatch(message)
      expect(JSON.stringify(reply.body)).not.toContain(VALID_PAN)
      const rows = await db.selectFrom('providers').select('name').execute()
      expect(rows).toEqual([])
    },
  )

  test('an ordinary name with a few digits is still fine', async ({ harness }) => {
    const reply = await call(harness.app, 'POST', '/cashout/register', {
      body: registration({ name: 'acme-rewards-2026' }),
    })
    expect(reply.status).toBe(200)
  })
})

describe('card numbers and expiries', () => {
  test.for(['0000000000000000', '4444444444444444', '0000000000000000000'])(
    'refuses %s, every digit the same, even in test mode',
    async (pan, { harness }) => {
      const reply = await call(harness.app, 'POST', '/cashout/register', {
        body: registration({ pan }),
      })
      expectError(reply, 422, 'validation_failed')
      expect(fieldsOf(reply).find((d) => d.field === 'pan')?.message).toMatch(/not a real card/)
      expect(JSON.stringify(reply.body)).not.toContain(pan)
    },
  )

  test.for([
    ['9912', 'expDate'],
    ['4704', 'expDate'],
  ])('refuses an expiry more than 20 years away (%s)', async ([expDate, field], { harness }) => {
    // The test clock stands at March 2026: 4603 is the last month allowed.
    const reply = await call(harness.app, 'POST', '/cashout/register', {
      body: registration({ expDate }),
    })
    expectError(reply, 422, 'validation_failed')
    expect(fieldsOf(reply).find((d) => d.field === field)?.message).toMatch(/20 years/)
    const last = await call(harness.app, 'POST', '/cashout/register', {
      body: registration({ expDate: '4603' }),
    })
    expect(last.status).toBe(200)
  })

  test('a test card registers where keys are test keys only', async ({ harness }) => {
    for (const pan of [VALID_PAN, '4000000000000002', '4242424242424242']) {
      const reply = await call(harness.app, 'POST', '/cashout/register', {
        body: registration({ pan }),
      })
      expect(reply.status).toBe(200)
      expect(reply.body.live_api_key).toBeNull()
    }
  })

  test('a test card registers in a rehearsal, where the live rail is on this machine', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const reply = await call(app, 'POST', '/cashout/register', { body: registration() })
    expect(reply.status).toBe(200)
    expect(reply.body.live_api_key).toMatch(/^ck_live_/)
  })

  test.for([VALID_PAN, '4000000000000002', '5555555555554444', '6011111111111117'])(
    'a registration that would get a live key refuses the test card %s',
    async (pan, { db }) => {
      const { app } = buildTestApp(db, { env: REAL_LIVE_ENV })
      const reply = await call(app, 'POST', '/cashout/register', { body: registration({ pan }) })
      expectError(reply, 422, 'validation_failed')
      expect(fieldsOf(reply).find((d) => d.field === 'pan')?.message).toMatch(/test card/)
      expect(JSON.stringify(reply.body)).not.toContain(pan)
      expect(await db.selectFrom('providers').select('id').execute()).toEqual([])

      const real = await call(app, 'POST', '/cashout/register', {
        body: registration({ pan: REAL_LOOKING_PAN, ipin: '7391' }),
      })
      expect(real.status).toBe(200)
      expect(real.body.live_api_key).toMatch(/^ck_live_/)
    },
  )

  test('a card change to a test card is refused where live keys pay real money', async ({ db }) => {
    const { app } = buildTestApp(db, { env: REAL_LIVE_ENV })
    const provider = await registerProvider(app, { pan: REAL_LOOKING_PAN, ipin: '7391' })
    const card = { expDate: '3001', ipin: '7391', consent: true }
    const refused = await call(app, 'POST', '/cashout/profile', {
      key: provider.liveKey ?? '',
      body: { ...card, pan: '4242 4242 4242 4242' },
    })
    expectError(refused, 422, 'validation_failed')
    expect(fieldsOf(refused).find((d) => d.field === 'pan')?.message).toMatch(/test card/)
    const changed = await call(app, 'POST', '/cashout/profile', {
      key: provider.liveKey ?? '',
      body: { ...card, pan: VALID_PAN_19 },
    })
    expect(changed.status).toBe(200)
    expect(changed.body.card_last4).toBe('0002')
  })

  test.for(['0000', '7777', '1234', '6789', '4321', '0123', '9876', '1212', '2580'])(
    'a registration that would get a live key refuses the placeholder IPIN %s',
    async (ipin, { db }) => {
      const { app } = buildTestApp(db, { env: REAL_LIVE_ENV })
      const reply = await call(app, 'POST', '/cashout/register', {
        body: registration({ pan: REAL_LOOKING_PAN, ipin }),
      })
      expectError(reply, 422, 'validation_failed')
      expect(fieldsOf(reply).find((d) => d.field === 'ipin')?.message).toMatch(/guess/)
      expect(JSON.stringify(reply.body)).not.toContain(REAL_LOOKING_PAN)
      expect(await db.selectFrom('providers').select('id').execute()).toEqual([])
    },
  )

  test('a card change with a placeholder IPIN is refused where live keys pay real money', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: REAL_LIVE_ENV })
    const provider = await registerProvider(app, { pan: REAL_LOOKING_PAN, ipin: '7391' })
    const refused = await call(app, 'POST', '/cashout/profile', {
      key: provider.liveKey ?? '',
      body: { pan: VALID_PAN_19, expDate: '3001', ipin: '1111', consent: true },
    })
    expectError(refused, 422, 'validation_failed')
    expect(fieldsOf(refused).find((d) => d.field === 'ipin')?.message).toMatch(/guess/)
  })

  test('a placeholder IPIN registers where keys are test keys only', async ({ harness }) => {
    const reply = await call(harness.app, 'POST', '/cashout/register', {
      body: registration({ ipin: '0000' }),
    })
    expect(reply.status).toBe(200)
  })

  test('a card already registered is accepted, and the warning gives the count, never the card', async ({
    harness,
  }) => {
    await registerProvider(harness.app, { pan: REAL_LOOKING_PAN })
    await registerProvider(harness.app, { pan: REAL_LOOKING_PAN })
    const third = await registerProvider(harness.app, { pan: REAL_LOOKING_PAN })
    const warnings = harness.logs
      .entries()
      .filter((e) => e.msg === 'card already registered to another provider')
    expect(warnings.at(-1)).toMatchObject({ provider: third.name, other_providers: 2 })
    expect(harness.logs.lines.join('\n')).not.toContain(REAL_LOOKING_PAN)
  })
})
