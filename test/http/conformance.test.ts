import { Hono } from 'hono'
import { describe, expect, inject, test as plain } from 'vitest'
import { exampleEvent } from '../../src/webhooks/examples.ts'
import { testPayload } from '../../src/webhooks/payload.ts'
import { LIVE_ENV, servedDocument } from '../support/app.ts'
import {
  type ConformanceDocument,
  conformanceChecker,
  describeNonconformance,
} from '../support/conformance.ts'
import {
  holdToDocument,
  holdWebhooksToDocument,
  NonconformanceError,
  takeNonconformances,
} from '../support/conformance-hook.ts'
import { test } from '../support/fixtures.ts'

const errorRef = { $ref: '#/components/schemas/Error' }
const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } })
const requestIdHeader = { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } }

/** A small document in the dialect the app serves today (3.0: `nullable`, boolean bounds). */
const document30: ConformanceDocument = {
  openapi: '3.0.3',
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': {
            headers: requestIdHeader,
            content: json({ $ref: '#/components/schemas/Thing' }),
          },
          '404': { headers: requestIdHeader, content: json(errorRef) },
        },
      },
    },
    '/things/special': {
      get: { responses: { '200': { content: json({ type: 'object', required: ['special'] }) } } },
    },
    '/things': {
      post: {
        responses: {
          '201': { content: json({ $ref: '#/components/schemas/Thing' }) },
          '429': {
            content: json(errorRef),
            headers: { 'Retry-After': { required: true, schema: { type: 'integer' } } },
          },
        },
      },
    },
    '/things.csv': { get: { responses: { '200': { content: { 'text/csv': {} } } } } },
  },
  components: {
    headers: { RequestId: { required: true, schema: { type: 'string' } } },
    schemas: {
      Thing: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'count', 'note', 'created_at'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          count: { type: 'integer', minimum: 0, exclusiveMinimum: true },
          note: { type: 'string', nullable: true },
          parent: { allOf: [{ $ref: '#/components/schemas/Ref' }], nullable: true },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
      Ref: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      Error: {
        type: 'object',
        required: ['message', 'code', 'request_id'],
        properties: {
          message: { type: 'string' },
          code: { type: 'string' },
          request_id: { type: 'string' },
        },
      },
    },
  },
}

const ID = '0b7e4d0c-3b8e-4c8a-9d7e-2f1a6b5c4d3e'
const thing = {
  id: ID,
  count: 1,
  note: null,
  parent: null,
  created_at: '2026-03-01T00:00:00.000Z',
}
const anError = { message: 'Not found.', code: 'not_found', request_id: 'req_1' }

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=UTF-8', ...headers },
  })
}

describe('the conformance checker', () => {
  const checker = conformanceChecker(document30)

  plain('passes a response the document declares, with its charset and headers', async () => {
    const ok = reply(200, thing, { 'X-Request-Id': 'req_1' })
    expect(await checker.check('GET', `/things/${ID}`, ok)).toBeUndefined()
    const withParent = reply(200, { ...thing, parent: { id: 'p' } }, { 'x-request-id': 'r' })
    expect(await checker.check('GET', `/things/${ID}`, withParent)).toBeUndefined()
  })

  plain('fails a status the operation does not declare', async () => {
    const found = await checker.check('POST', '/things', reply(413, anError))
    expect(found?.operation).toBe('POST /things')
    expect(found?.problems).toEqual(['status 413 is not declared (declared: 201, 429)'])
    expect(found && describeNonconformance(found)).toContain('POST /things → 413')
  })

  plain('fails a body its schema refuses, naming each field', async () => {
    const bad = { ...thing, id: 'not-a-uuid', count: 0, note: 7, extra: true }
    const found = await checker.check('POST', '/things', reply(201, bad))
    const [problem] = found?.problems ?? []
    expect(problem).toContain('/id must match format "uuid"')
    expect(problem).toContain('/count must be > 0')
    expect(problem).toContain('/note must be string,null')
    expect(problem).toContain("must NOT have additional properties: 'extra'")
    const missing = await checker.check('POST', '/things', reply(201, { id: ID }))
    expect(missing?.problems[0]).toContain("must have required property 'created_at'")
  })

  plain('fails null where the schema is not nullable, and a body that is not JSON', async () => {
    const nullId = await checker.check('POST', '/things', reply(201, { ...thing, id: null }))
    expect(nullId?.problems[0]).toContain('/id must be string')
    const text = new Response('oops', {
      status: 201,
      headers: { 'Content-Type': 'application/json' },
    })
    expect((await checker.check('POST', '/things', text))?.problems).toEqual([
      'the body is not JSON: oops',
    ])
  })

  plain(
    'fails a Retry-After the status does not declare, and a required header missing',
    async () => {
      const found = await checker.check(
        'GET',
        `/things/${ID}`,
        reply(404, anError, { 'X-Request-Id': 'r', 'Retry-After': '5' }),
      )
      expect(found?.problems).toEqual(['the header Retry-After is sent but not declared'])
      const limited = await checker.check('POST', '/things', reply(429, anError))
      expect(limited?.problems).toEqual(['the required header retry-after is missing'])
      const noId = await checker.check('GET', `/things/${ID}`, reply(200, thing))
      expect(noId?.problems).toEqual(['the required header x-request-id is missing'])
    },
  )

  plain('fails a Content-Type the status does not declare', async () => {
    const html = new Response('<p>hi</p>', { headers: { 'Content-Type': 'text/html' } })
    expect((await checker.check('GET', '/things.csv', html))?.problems).toEqual([
      'Content-Type text/html is not declared (declared: text/csv)',
    ])
    const csv = new Response('a,b\n', { headers: { 'Content-Type': 'text/csv; charset=utf-8' } })
    expect(await checker.check('GET', '/things.csv', csv)).toBeUndefined()
  })

  plain('ignores paths the document does not have', async () => {
    for (const path of ['/', '/c/abc', '/things/a/b', `/things/${ID}/`, '/docs']) {
      expect(await checker.check('GET', path, reply(500, 'anything'))).toBeUndefined()
    }
  })

  plain('matches a literal segment before a parameter', async () => {
    // `/things/special` declares a body with `special`; `/things/{id}` a Thing.
    const special = reply(200, { special: true })
    expect(await checker.check('GET', '/things/special', special)).toBeUndefined()
    const found = await checker.check('GET', '/things/special', reply(200, thing))
    expect(found?.operation).toBe('GET /things/special')
    expect(found?.problems[0]).toContain("must have required property 'special'")
  })

  plain(
    'reports an undocumented method on a documented path unless the router refused it',
    async () => {
      const served = await checker.check('DELETE', `/things/${ID}`, reply(200, {}))
      expect(served?.problems).toEqual([
        'DELETE is not documented on this path (documented: GET), yet it answered 200',
      ])
      expect(await checker.check('DELETE', `/things/${ID}`, reply(404, anError))).toBeUndefined()
      // The body limit answers before routing, for documented methods or not.
      expect(await checker.check('DELETE', `/things/${ID}`, reply(413, anError))).toBeUndefined()
      const odd = await checker.check('PUT', '/things', reply(405, { error: 'no' }))
      expect(odd?.problems[0]).toContain("must have required property 'message'")
    },
  )

  plain('reads HEAD as GET without a body', async () => {
    const head = new Response(null, {
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'r' },
    })
    expect(await checker.check('HEAD', `/things/${ID}`, head)).toBeUndefined()
  })

  plain('reads OpenAPI 3.1 schemas as JSON Schema 2020-12', async () => {
    const checker31 = conformanceChecker({
      openapi: '3.1.0',
      paths: {
        '/things/{id}': {
          get: { responses: { '200': { content: json({ $ref: '#/components/schemas/T' }) } } },
        },
      },
      components: {
        schemas: {
          T: {
            type: 'object',
            required: ['note', 'count'],
            properties: {
              note: { type: ['string', 'null'] },
              count: { type: 'integer', exclusiveMinimum: 0 },
              tags: { type: 'array', prefixItems: [{ const: 'first' }] },
            },
          },
        },
      },
    })
    expect(await checker31.check('GET', '/things/1', reply(200, { note: null, count: 1 }))).toBe(
      undefined,
    )
    const found = await checker31.check(
      'GET',
      '/things/1',
      reply(200, { note: 1, count: 0, tags: ['second'] }),
    )
    expect(found?.problems[0]).toContain('/note must be string,null')
    expect(found?.problems[0]).toContain('/count must be > 0')
    expect(found?.problems[0]).toContain('/tags/0 must be equal to constant')
  })
})

describe('the conformance checker on the document the app serves', () => {
  plain('compiles every schema it declares and refuses a body that breaks one', async () => {
    const served = inject('openapi')
    const checker = conformanceChecker(served)
    let checked = 0
    for (const [template, item] of Object.entries(served.paths ?? {})) {
      const path = template.replaceAll(/\{[^}]+\}/g, 'x')
      for (const [method, operation] of Object.entries(item ?? {})) {
        for (const [status, declared] of Object.entries(operation?.responses ?? {})) {
          if (!declared.content?.['application/json']) continue
          // Every JSON body the API sends is an object, never a bare string.
          const found = await checker.check(method.toUpperCase(), path, reply(Number(status), 'x'))
          expect(found?.problems.join('\n'), `${method} ${template} ${status}`).toContain(
            '(body) must be object',
          )
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(45)
  })
})

describe('webhooks held to the document', () => {
  const signed = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }
  const at = new Date('2026-03-01T00:00:00Z')
  // The document's own example, made by the payload builder real webhooks come from.
  const claimEvent = () => exampleEvent('claim.settled') as Record<string, unknown>

  plain(
    'a body the payload builders make conforms; a changed one, an unknown event or a missing header does not',
    () => {
      const checker = conformanceChecker(inject('openapi'))
      const check = (body: unknown, headers: Record<string, string> = signed) =>
        checker.checkWebhook('https://hooks.test/x', headers, JSON.stringify(body))
      expect(check(claimEvent())).toBeUndefined()
      expect(check(JSON.parse(testPayload('acme', false, at)))).toBeUndefined()
      expect(check({ ...claimEvent(), sequence: 1 })?.problems.join()).toMatch(/sequence/)
      expect(check({ ...claimEvent(), points: '2500' })?.problems.join()).toMatch(/points/)
      expect(check({ ...claimEvent(), event: 'claim.created' })?.problems).toEqual([
        'the event "claim.created" is not in the document\'s webhooks',
      ])
      const { 'webhook-signature': _, ...unsigned } = signed
      expect(check(claimEvent(), unsigned)?.problems).toEqual([
        'the required header webhook-signature is missing',
      ])
    },
  )

  plain('the example of each event in the document is that event, valid against its schema', () => {
    const served = inject('openapi')
    const checker = conformanceChecker(served)
    const events = Object.entries(served.webhooks ?? {})
    expect(events.length).toBeGreaterThanOrEqual(8)
    for (const [name, item] of events) {
      const media = item.post?.requestBody?.content?.['application/json'] as { example?: unknown }
      expect(media.example, name).toMatchObject({ event: name })
      expect(
        checker.checkWebhook('https://hooks.test/x', signed, JSON.stringify(media.example)),
        name,
      ).toBeUndefined()
    }
  })

  plain('the hook refuses to send a body the document does not describe', async () => {
    const sent: string[] = []
    const transport = holdWebhooksToDocument({
      post: async (_url, _headers, body) => {
        sent.push(body)
        return { status: 200, retryAfter: null }
      },
      vet: async () => true,
    })
    await transport.post('https://hooks.test/x', signed, JSON.stringify(claimEvent()))
    await expect(
      transport.post('https://hooks.test/x', signed, JSON.stringify({ event: 'claim.settled' })),
    ).rejects.toThrow(NonconformanceError)
    expect(sent).toHaveLength(1)
    expect(takeNonconformances()).toHaveLength(1)
  })
})

describe('the conformance hook', () => {
  plain(
    'rejects a request whose response breaks the document, through request and fetch',
    async () => {
      // /healthz is in the document with 200 only.
      const app = holdToDocument(new Hono().get('/healthz', (c) => c.json({ tea: true }, 418)))
      const viaRequest = app.request('/healthz')
      await expect(viaRequest).rejects.toThrow(NonconformanceError)
      await expect(viaRequest).rejects.toThrow(/GET \/healthz → 418 .*\n {2}- status 418 is not/)
      const viaFetch = app.fetch(new Request('http://cashout.test/healthz'))
      await expect(viaFetch).rejects.toThrow(NonconformanceError)
      // setup-file.ts fails the test for a nonconformance whose error was caught: these were.
      expect(takeNonconformances()).toHaveLength(2)
    },
  )

  plain('lets through a response on a path the document does not have', async () => {
    const app = holdToDocument(new Hono().get('/console/x', (c) => c.html('<p>x</p>', 500)))
    expect((await app.request('/console/x')).status).toBe(500)
  })

  test('one document serves every configuration: only servers differs', async ({ db }) => {
    const provided = inject('openapi')
    const { servers: _, ...shared } = provided
    // Every setting that changes what the app serves, at once: one document costs seconds here.
    const { servers, ...other } = await servedDocument(db, {
      ...LIVE_ENV,
      PUBLIC_URL: 'https://elsewhere.test',
      TRUST_PROXY: 'true',
      REGISTRATION_TOKEN: 'a-registration-token-0123456789',
      ALLOW_LOOPBACK_ENDPOINTS: 'true',
    })
    expect(other).toEqual(shared)
    expect(servers).toEqual([{ url: 'https://elsewhere.test' }])
  })
})
