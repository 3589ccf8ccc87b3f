import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import type { Db } from '../../src/db/schema.ts'
import { buildTestApp } from '../support/app.ts'
import { type CallOptions, call, fundedProvider, generate, type Reply } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { everything } from '../support/everything.ts'
import { test } from '../support/fixtures.ts'

/**
 * A route that takes no body refuses one with content rather than ignoring it: a client that
 * sends `{"reason":"fraud"}` to cancel would otherwise believe it recorded a reason. No body,
 * an empty one and `{}` still work, so nothing changes for clients that send none.
 */

interface Request {
  app: App
  method: string
  path: string
  key: string
}

interface Case {
  /** The operation as the OpenAPI document names it. */
  route: string
  /** Builds what the call needs, on a provider of its own. */
  prepare(db: Db): Promise<Request>
  /** A field a client might think the request has. */
  extra: Record<string, unknown>
  /** The status when it works. */
  ok: number
}

async function providerApp(db: Db) {
  const { app } = buildTestApp(db)
  return { app, provider: await fundedProvider(app) }
}

const CASES: Case[] = [
  {
    route: 'POST /cashout/claims/{uuid}/cancel',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const claim = await generate(app, provider, { amount: 500, id: 'to-cancel' })
      expect(claim.status).toBe(200)
      const path = `/cashout/claims/${claim.body.uuid}/cancel`
      return { app, method: 'POST', path, key: provider.key }
    },
    extra: { reason: 'fraud' },
    ok: 200,
  },
  {
    route: 'POST /cashout/webhooks/deliveries/{id}/replay',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const sent = await call(app, 'POST', '/cashout/webhooks/test', { key: provider.key })
      expect(sent.status).toBe(201)
      const path = `/cashout/webhooks/deliveries/${sent.body.id}/replay`
      return { app, method: 'POST', path, key: provider.key }
    },
    extra: { reset_attempts: false },
    ok: 200,
  },
  {
    route: 'POST /cashout/webhooks/test',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return { app, method: 'POST', path: '/cashout/webhooks/test', key: provider.key }
    },
    extra: { event: 'claim.paid' },
    ok: 201,
  },
  {
    route: 'DELETE /cashout/keys/{id}',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      const spare = await call(app, 'POST', '/cashout/keys', { key: provider.key, body: {} })
      expect(spare.status).toBe(201)
      return { app, method: 'DELETE', path: `/cashout/keys/${spare.body.id}`, key: provider.key }
    },
    extra: { reason: 'leaked' },
    ok: 200,
  },
  {
    route: 'POST /cashout/console/setup-link',
    prepare: async (db) => {
      const { app, provider } = await providerApp(db)
      return { app, method: 'POST', path: '/cashout/console/setup-link', key: provider.key }
    },
    extra: { role: 'viewer' },
    ok: 201,
  },
]

/**
 * Operations that declare no body yet read one: Hello Clever's callbacks carry its own JSON,
 * parsed by the route once the callback's token is checked.
 */
const READ_THEIR_OWN_BODY = [
  'POST /rail/hello-clever/callbacks/{payoutId}',
  'POST /rail/hello-clever/batches/{batchId}',
]

function send(request: Request, options: Omit<CallOptions, 'key'> = {}): Promise<Reply> {
  return call(request.app, request.method, request.path, { key: request.key, ...options })
}

function expectRefused(reply: Reply, field: string, message: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(422)
  expect(reply.body.code).toBe('validation_failed')
  expect(reply.body.details).toEqual([{ field, message }])
}

const NOT_A_FIELD = 'Not a field of this request; remove it.'
const NO_BODY = 'This request takes no body; send none.'

describe('routes that take no body', () => {
  test.for(CASES)('$route refuses a body with content and does nothing', async (c, { db }) => {
    const request = await c.prepare(db)
    const before = await everything(db)

    const [field] = Object.keys(c.extra)
    expectRefused(await send(request, { body: c.extra }), field ?? '', NOT_A_FIELD)
    expectRefused(await send(request, { body: { ...c.extra, x: 1 } }), field ?? '', NOT_A_FIELD)
    for (const body of [[], [1], null, 'fraud', 0, false]) {
      expectRefused(await send(request, { body }), 'body', NO_BODY)
    }
    expectRefused(await send(request, { raw: '{"reason":' }), 'body', NO_BODY)
    expectRefused(
      await send(request, {
        raw: 'reason=fraud',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      'body',
      NO_BODY,
    )
    expectRefused(
      await send(request, { raw: 'fraud', headers: { 'Content-Type': 'text/plain' } }),
      'body',
      NO_BODY,
    )
    const notUtf8 = await request.app.request(request.path, {
      method: request.method,
      headers: { Authorization: `Bearer ${request.key}` },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    })
    expect(notUtf8.status).toBe(422)
    expect((await notUtf8.json()).details).toEqual([{ field: 'body', message: NO_BODY }])
    expect(await everything(db)).toEqual(before)

    const done = await send(request)
    expect(done.status, JSON.stringify(done.body)).toBe(c.ok)
    expect(await everything(db)).not.toEqual(before)
  })

  test.for(CASES)(
    '$route takes an empty or blank body, or an empty object, as no body',
    async (c, { db }) => {
      for (const options of [
        { raw: '' },
        { raw: '\r\n' },
        { raw: ' {\n } ' },
        { body: {} },
        { raw: '', headers: { 'Content-Type': 'text/plain' } },
      ]) {
        const request = await c.prepare(db)
        const before = await everything(db)
        const done = await send(request, options)
        expect(done.status, `${JSON.stringify(options)}: ${JSON.stringify(done.body)}`).toBe(c.ok)
        expect(await everything(db)).not.toEqual(before)
      }
    },
  )

  test('cancel says which field it does not have, without echoing a card number', async ({
    db,
  }) => {
    const request = await CASES[0]?.prepare(db)
    if (!request) throw new Error('no cancel case')
    const reply = await send(request, { body: { '4111111111111111': 'fraud' } })
    expect(reply.status).toBe(422)
    expect(JSON.stringify(reply.body)).not.toContain('4111111111111111')
    const status = await call(request.app, 'GET', request.path.replace(/\/cancel$/, ''), {
      key: request.key,
    })
    expect(status.body.status).toBe('open')
  })

  test('a body is looked at only once the caller is known: without a key it is still a 401', async ({
    db,
  }) => {
    const request = await CASES[0]?.prepare(db)
    if (!request) throw new Error('no cancel case')
    const reply = await call(request.app, 'POST', request.path, { body: { reason: 'fraud' } })
    expect(reply.status).toBe(401)
  })

  test('the console’s cancel form, which posts its token as a body, still cancels', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const uuid = (await generate(app, provider, { amount: 500, id: 'form-cancel' })).body.uuid
    const { browser } = await ownerOf(app, provider)
    await browser.open(`/console/claims/${uuid}`)
    const done = await browser.submit(`/console/claims/${uuid}/cancel`)
    expect(done.status).toBe(303)
    const claim = await call(app, 'GET', `/cashout/claims/${uuid}`, { key: provider.key })
    expect(claim.body.status).toBe('cancelled')
  })

  test('every documented operation that changes something and declares no body is in the table above', async ({
    harness,
  }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const bodiless = Object.entries<Record<string, { requestBody?: unknown }>>(doc.paths).flatMap(
      ([path, item]) =>
        Object.entries(item)
          .filter(([method, op]) => method !== 'get' && op.requestBody === undefined)
          .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    expect([...CASES.map((c) => c.route), ...READ_THEIR_OWN_BODY].sort()).toEqual(bodiless.sort())
  })
})
