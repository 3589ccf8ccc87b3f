import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import type { Db } from '../../src/db/schema.ts'
import type { SchemaObject } from '../../src/docs/schema.ts'
import type { PayoutRail } from '../../src/payouts/rail/rail.ts'
import { openRequest } from '../../src/payouts/request.ts'
import { buildTestApp, OPERATOR_TOKEN } from '../support/app.ts'
import { call, fundedProvider, generate, type Reply, registration } from '../support/client.ts'
import { everything } from '../support/everything.ts'
import { test } from '../support/fixtures.ts'
import { BANK, claimWith, type PayoutHarness, payoutHarness, payoutOf } from '../support/payouts.ts'

/**
 * Every JSON body Cashout defines refuses a field it does not have, at every level, rather than
 * dropping it: a misspelt `fees` must not leave the default fee in force behind a 200.
 */

interface Request {
  app: App
  path: string
  key?: string
  body: Record<string, unknown>
  /** The caller's address, for registration (limited per address). */
  address?: string
}

interface Case {
  /** The operation as the OpenAPI document names it. */
  route: string
  /** Builds what the call needs and returns it with a correct body. */
  prepare(db: Db): Promise<Request>
  /** One field the request does not have, as a sender might misspell or invent it. */
  extra: [string, unknown]
  /** For each object inside the body, a key it does not have. */
  nested?: Record<string, string>
  /** The status the correct body gets. */
  ok: number
}

async function providerApp(db: Db) {
  const { app } = buildTestApp(db)
  return { app, provider: await fundedProvider(app) }
}

/** A payout the rail accepted and has not reported on: its callback goes nowhere. */
async function processingPayout(db: Db) {
  const h = await payoutHarness(db, {
    wrapRail: (rail): PayoutRail => ({
      ...rail,
      withdraw: (req) => rail.withdraw({ ...req, callbackUrl: 'http://127.0.0.1:9/nowhere' }),
    }),
  })
  const provider = await fundedProvider(h.app, 10_000)
  const uuid = await claimWith(h, provider, 'unknown-fields', BANK)
  await h.drain()
  const payout = await payoutOf(db, uuid)
  expect(payout.status).toBe('processing')
  return { h, payout }
}

const operator = (app: App, path: string, body: Record<string, unknown>): Request => ({
  app,
  path,
  key: OPERATOR_TOKEN,
  body,
})

const CASES: Case[] = [
  {
    route: 'POST /cashout/register',
    prepare: async (db) => ({
      app: buildTestApp(db).app,
      path: '/cashout/register',
      body: registration(),
      address: '203.0.113.14',
    }),
    extra: ['webhook_url', 'https://hooks.example.com/cashout'],
    ok: 200,
  },
  {
    route: 'POST /cashout/profile',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const body = { support_contact: 'help@acme.example' }
      return { app, path: '/cashout/profile', key: provider.key, body }
    },
    extra: ['support_email', 'help@acme.example'],
    ok: 200,
  },
  {
    route: 'POST /cashout/generate/{name}',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const body = { amount: 2500, id: 'order-8812' }
      return { app, path: `/cashout/generate/${provider.name}`, key: provider.key, body }
    },
    extra: ['customerId', 'cust-1'],
    ok: 200,
  },
  {
    route: 'POST /cashout/claims/{uuid}/submit',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const claim = (await generate(app, provider, { amount: 500, id: 'to-submit' })).body
      return { app, path: `/cashout/claims/${claim.uuid}/submit`, key: provider.key, body: BANK }
    },
    extra: ['account_type', 'savings'],
    ok: 200,
  },
  {
    route: 'PUT /cashout/rules',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const body = {
        rate: { points: 100, cash_minor: 1 },
        fee: { bps: 500, payer: 'customer' },
        caps: { daily_minor: 100_000 },
      }
      return { app, path: '/cashout/rules', key: provider.key, body }
    },
    extra: ['fees', { bps: 500, payer: 'customer' }],
    nested: { rate: 'cash', fee: 'percent', caps: 'weekly_minor' },
    ok: 200,
  },
  {
    route: 'POST /cashout/quote',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return { app, path: '/cashout/quote', key: provider.key, body: { points: 2500 } }
    },
    extra: ['customer', 'cust-1'],
    ok: 200,
  },
  {
    route: 'POST /cashout/test/fund',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return { app, path: '/cashout/test/fund', key: provider.key, body: { amount_minor: 5000 } }
    },
    extra: ['currency', 'AUD'],
    ok: 200,
  },
  {
    route: 'POST /cashout/keys',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return { app, path: '/cashout/keys', key: provider.key, body: { label: 'ci' } }
    },
    extra: ['livemode', true],
    ok: 201,
  },
  {
    route: 'POST /cashout/webhooks/secret/rotate',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const body = { overlap_seconds: 0 }
      return { app, path: '/cashout/webhooks/secret/rotate', key: provider.key, body }
    },
    extra: ['overlap', 3600],
    ok: 200,
  },
  {
    route: 'PUT /cashout/float/alert',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return {
        app,
        path: '/cashout/float/alert',
        key: provider.key,
        body: { threshold_minor: 500 },
      }
    },
    extra: ['threshold', 500],
    ok: 200,
  },
  {
    route: 'POST /operator/providers/{name}/keys',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return operator(app, `/operator/providers/${provider.name}/keys`, {
        livemode: false,
        label: 'ops',
      })
    },
    extra: ['live', true],
    ok: 201,
  },
  {
    route: 'POST /operator/providers/{name}/credit',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return operator(app, `/operator/providers/${provider.name}/credit`, {
        livemode: false,
        amount_minor: 10_000,
        reference: 'wire-2026-11-21-01',
      })
    },
    extra: ['currency', 'AUD'],
    ok: 200,
  },
  {
    route: 'POST /operator/providers/{name}/display-name',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const asked = await call(app, 'POST', '/cashout/profile', {
        key: provider.key,
        body: { display_name: 'Acme Rewards Club' },
      })
      expect(asked.status).toBe(200)
      return operator(app, `/operator/providers/${provider.name}/display-name`, {
        approve: true,
        display_name: 'Acme Rewards Club',
      })
    },
    extra: ['note', 'Checked against the ABN register'],
    ok: 200,
  },
  {
    route: 'POST /operator/providers/{name}/support-contact',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const asked = await call(app, 'POST', '/cashout/profile', {
        key: provider.key,
        body: { support_contact: 'help@acme.example' },
      })
      expect(asked.status).toBe(200)
      return operator(app, `/operator/providers/${provider.name}/support-contact`, {
        approve: true,
        support_contact: 'help@acme.example',
      })
    },
    extra: ['display_name', 'help@acme.example'],
    ok: 200,
  },
  {
    route: 'POST /operator/providers/{name}/suspend',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return operator(app, `/operator/providers/${provider.name}/suspend`, {
        reason: 'Card reported stolen',
      })
    },
    extra: ['until', '2026-04-01'],
    ok: 200,
  },
  {
    route: 'POST /operator/providers/{name}/resume',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const path = `/operator/providers/${provider.name}`
      const suspended = await call(app, 'POST', `${path}/suspend`, {
        key: OPERATOR_TOKEN,
        body: { reason: 'Card reported stolen' },
      })
      expect(suspended.status).toBe(200)
      return operator(app, `${path}/resume`, { reason: 'The bank cleared the card' })
    },
    extra: ['notify', true],
    ok: 200,
  },
  {
    route: 'POST /operator/payouts/{id}/resolve',
    prepare: async (db) => {
      const { h, payout } = await processingPayout(db)
      return operator(h.app, `/operator/payouts/${payout.id}/resolve`, {
        status: 'settled',
        reason: 'The portal shows it paid',
      })
    },
    extra: ['amount', 5],
    ok: 200,
  },
]

function send(method: string, request: Request, body: Record<string, unknown>): Promise<Reply> {
  return call(request.app, method, request.path, {
    key: request.key,
    body,
    address: request.address,
  })
}

function expectNamed(reply: Reply, field: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(422)
  expect(reply.body.code).toBe('validation_failed')
  expect(reply.body.details).toContainEqual({
    field,
    message: expect.stringMatching(/^Not a field of this request/),
  })
}

describe('unknown fields in a JSON body', () => {
  test.for(CASES)(
    '$route refuses one at the top and in each object, and stores nothing',
    async (c, { db }) => {
      const request = await c.prepare(db)
      const method = c.route.split(' ')[0] ?? ''
      const before = await everything(db)

      const [name, value] = c.extra
      expectNamed(await send(method, request, { ...request.body, [name]: value }), name)
      for (const [object, key] of Object.entries(c.nested ?? {})) {
        const inner = request.body[object] as Record<string, unknown>
        const body = { ...request.body, [object]: { ...inner, [key]: 1 } }
        expectNamed(await send(method, request, body), `${object}.${key}`)
      }
      expect(await everything(db)).toEqual(before)

      const ok = await send(method, request, request.body)
      expect(ok.status, JSON.stringify(ok.body)).toBe(c.ok)
    },
  )

  test('a misspelt fee is refused, not replaced by the default fee', async ({ db }) => {
    const { app, provider } = await providerApp(db)
    const rule = (body: Record<string, unknown>) =>
      call(app, 'PUT', '/cashout/rules', { key: provider.key, body })
    const before = (await call(app, 'GET', '/cashout/rules', { key: provider.key })).body

    const typo = await rule({ rate: { points: 1, cash_minor: 1 }, fees: { bps: 500 } })
    expectNamed(typo, 'fees')
    expect((await call(app, 'GET', '/cashout/rules', { key: provider.key })).body).toEqual(before)

    const meant = await rule({ rate: { points: 1, cash_minor: 1 }, fee: { bps: 500 } })
    expect(meant.status).toBe(200)
    expect(meant.body.fee).toMatchObject({ bps: 500 })
  })

  test('a field name is named without echoing a card number', async ({ db }) => {
    const { app, provider } = await providerApp(db)
    const reply = await call(app, 'POST', '/cashout/quote', {
      key: provider.key,
      body: { points: 10, '4111111111111111': 1 },
    })
    expect(reply.status).toBe(422)
    expect(JSON.stringify(reply.body)).not.toContain('4111111111111111')
  })

  test('every documented JSON body is in the table above', async ({ harness }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const withBody = Object.entries<Record<string, { requestBody?: unknown }>>(doc.paths).flatMap(
      ([path, item]) =>
        Object.entries(item)
          .filter(([, op]) => op.requestBody !== undefined)
          .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    expect(CASES.map((c) => c.route).sort()).toEqual(withBody.sort())
  })

  test('the OpenAPI document says so: every object of every request body has additionalProperties false', async ({
    harness,
  }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const open: string[] = []
    const seen = new Set<SchemaObject>()
    /** `within`: an anyOf beside a closed object's properties constrains that same object. */
    const walk = (schema: SchemaObject | undefined, at: string, within = false) => {
      if (!schema || seen.has(schema)) return
      seen.add(schema)
      if (schema.$ref) {
        const name = schema.$ref.replace('#/components/schemas/', '')
        return walk(doc.components.schemas[name], `${at}→${name}`)
      }
      if ((schema.type === 'object' || schema.properties) && !within) {
        if (schema.additionalProperties !== false) open.push(at)
      }
      for (const [key, inner] of Object.entries(schema.properties ?? {}))
        walk(inner, `${at}.${key}`)
      walk(schema.items, `${at}[]`)
      for (const inner of schema.oneOf ?? []) walk(inner, at)
      const closed = schema.properties !== undefined && schema.additionalProperties === false
      for (const inner of [...(schema.anyOf ?? []), ...(schema.allOf ?? [])])
        walk(inner, at, closed)
    }
    let bodies = 0
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const body = op.requestBody as { content?: Record<string, { schema?: SchemaObject }> }
        if (!body) continue
        bodies += 1
        walk(body.content?.['application/json']?.schema, `${method.toUpperCase()} ${path}`)
      }
    }
    expect(bodies).toBe(CASES.length)
    expect(open).toEqual([])
  })
})

describe("Hello Clever's callback", () => {
  async function postCallback(h: PayoutHarness, db: Db, payoutId: string, body: unknown) {
    const { request_jwe } = await payoutRow(db, payoutId)
    const token = (await openRequest(h.deps.vault, request_jwe)).callbackToken
    return fetch(`${h.cashoutUrl}/rail/hello-clever/callbacks/${payoutId}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  const payoutRow = (db: Db, id: string) =>
    db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  test('is their body, not ours: fields Cashout does not know are accepted and the payout settles', async ({
    db,
  }) => {
    const { h, payout } = await processingPayout(db)
    const res = await postCallback(h, db, payout.id, {
      client_transaction_id: payout.id,
      status: 'settled',
      withdrawal_id: payout.withdrawal_id,
      amount: Number(payout.amount_minor) / 100,
      settled_via: 'npp',
      cashback_transaction_detail: { currency: 'AUD', a_field_added_later: true },
    })
    expect(res.status).toBe(200)
    expect((await payoutRow(db, payout.id)).status).toBe('settled')
  })
})
