import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createRoute, z } from '@hono/zod-openapi'
import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { json } from '../../src/http/openapi.ts'
import { createRouter } from '../../src/http/router.ts'
import { test } from '../support/fixtures.ts'

const INTERNAL_TEXT = 'relation "ledger_secret" does not exist'

/** A JSON route and a failing route, mounted the way feature routers are. */
function mountProbes(app: App) {
  const probes = createRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/probe',
        request: {
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z.object({
                  amount: z.number().int().positive(),
                  id: z.string().min(1),
                  note: z.string().optional(),
                }),
              },
            },
          },
        },
        responses: { 200: json(z.object({ amount: z.number() }), 'ok') },
      }),
      (c) => c.json({ amount: c.req.valid('json').amount }, 200),
    )
    .get('/boom', () => {
      throw new Error(INTERNAL_TEXT)
    })
  app.route('/', probes)
  return app
}

const postJson = (body: BodyInit, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body,
  headers: { 'Content-Type': 'application/json', ...headers },
})

function expectErrorShape(body: Record<string, unknown>, code: string, requestId: string | null) {
  expect(body.code).toBe(code)
  expect(typeof body.message).toBe('string')
  expect((body.message as string).length).toBeGreaterThan(0)
  expect(body.request_id).toBe(requestId)
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+|node_modules|\.ts\b/)
}

describe('error responses', () => {
  test('an unknown route is a 404 not_found', async ({ harness }) => {
    const res = await harness.app.request('/no/such/thing')
    expect(res.status).toBe(404)
    expectErrorShape(await res.json(), 'not_found', res.headers.get('x-request-id'))
  })

  test('a 404 names the path but never a card number in it', async ({ harness }) => {
    const res = await harness.app.request('/c/x/4111111111111111/1234567890123')
    const body = await res.json()
    expect(body.message).toBe('No route matches GET /c/x/[card number]/1234567890123.')
  })

  test('malformed JSON is a 400 invalid_json', async ({ harness }) => {
    const app = mountProbes(harness.app)
    for (const body of ['{"amount": 1,', 'not json', '']) {
      const res = await app.request('/probe', postJson(body))
      expect(res.status).toBe(400)
      expectErrorShape(await res.json(), 'invalid_json', res.headers.get('x-request-id'))
    }
  })

  test('a body over 64 KiB is a 413, with or without Content-Length', async ({ harness }) => {
    const app = mountProbes(harness.app)
    const big = JSON.stringify({ amount: 1, id: 'x', note: 'a'.repeat(70 * 1024) })
    const sized = await app.request('/probe', postJson(big))
    expect(sized.status).toBe(413)
    expectErrorShape(await sized.json(), 'payload_too_large', sized.headers.get('x-request-id'))

    const bytes = new TextEncoder().encode(big)
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192))
        controller.close()
      },
    })
    const chunked = await app.request('/probe', {
      ...postJson(stream),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expectErrorShape(await chunked.json(), 'payload_too_large', chunked.headers.get('x-request-id'))
  })

  test('over a real socket the limit holds too, with or without Content-Length', async ({
    harness,
  }) => {
    // Node's server hands the app a lighter request than app.request does; the limit must not
    // depend on which. Chunked bodies are counted as they arrive, sized ones judged by header.
    const app = mountProbes(harness.app)
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const { port } = server.address() as AddressInfo
    const send = (body: string, chunked: boolean) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            port,
            host: '127.0.0.1',
            path: '/probe',
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              ...(chunked ? {} : { 'Content-Length': Buffer.byteLength(body) }),
            },
          },
          (res) => {
            let text = ''
            res.on('data', (chunk) => {
              text += chunk
            })
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
          },
        )
        req.on('error', reject)
        for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192))
        req.end()
      })
    try {
      const big = JSON.stringify({ amount: 1, id: 'x', note: 'a'.repeat(70 * 1024) })
      for (const chunked of [false, true]) {
        const refused = await send(big, chunked)
        expect(refused.status).toBe(413)
        expect(JSON.parse(refused.body).code).toBe('payload_too_large')
        const accepted = await send(JSON.stringify({ amount: 3, id: 'x' }), chunked)
        expect(accepted).toEqual({ status: 200, body: '{"amount":3}' })
      }
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('a body just under the limit is accepted', async ({ harness }) => {
    const app = mountProbes(harness.app)
    const base = JSON.stringify({ amount: 7, id: 'x', note: '' })
    const body = JSON.stringify({ amount: 7, id: 'x', note: 'a'.repeat(64 * 1024 - base.length) })
    expect(body.length).toBe(64 * 1024)
    const res = await app.request('/probe', postJson(body))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ amount: 7 })
  })

  test('a body that is not JSON is a 415', async ({ harness }) => {
    const app = mountProbes(harness.app)
    const res = await app.request('/probe', {
      method: 'POST',
      body: 'amount=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
    expectErrorShape(await res.json(), 'unsupported_media_type', res.headers.get('x-request-id'))
  })

  test('zod failures are a 422 with one detail per field', async ({ harness }) => {
    const app = mountProbes(harness.app)
    const res = await app.request('/probe', postJson(JSON.stringify({ amount: -5 })))
    expect(res.status).toBe(422)
    const body = await res.json()
    expectErrorShape(body, 'validation_failed', res.headers.get('x-request-id'))
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: 'amount', message: expect.stringMatching(/\S/) },
        { field: 'id', message: 'Required.' },
      ]),
    )
    expect(body.details).toHaveLength(2)
  })

  test('a JSON body that is not an object names the body', async ({ harness }) => {
    const app = mountProbes(harness.app)
    const res = await app.request('/probe', postJson('[1,2]'))
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body.details).toEqual([{ field: 'body', message: expect.any(String) }])
  })

  test('an unexpected error is a 500 with no internal text, logged with the request id', async ({
    harness,
  }) => {
    const app = mountProbes(harness.app)
    const res = await app.request('/boom')
    expect(res.status).toBe(500)
    const body = await res.json()
    const requestId = res.headers.get('x-request-id')
    expectErrorShape(body, 'internal_error', requestId)
    expect(JSON.stringify(body)).not.toContain('ledger_secret')
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'request_id'])

    const logged = harness.logs
      .entries()
      .find((entry) => entry.level === 'error' && entry.request_id === requestId)
    expect(logged).toBeDefined()
    expect(JSON.stringify(logged)).toContain('ledger_secret')
  })
})

describe('request ids', () => {
  test('every response carries one, distinct per request', async ({ harness }) => {
    const a = await harness.app.request('/healthz')
    const b = await harness.app.request('/nowhere')
    const idA = a.headers.get('x-request-id')
    const idB = b.headers.get('x-request-id')
    expect(idA).toMatch(/^req_[0-9a-f]{32}$/)
    expect(idB).toMatch(/^req_[0-9a-f]{32}$/)
    expect(idA).not.toBe(idB)
  })

  test('a well-formed incoming id is kept; a malformed one is replaced', async ({ harness }) => {
    const kept = await harness.app.request('/healthz', {
      headers: { 'X-Request-Id': 'provider-trace-42' },
    })
    expect(kept.headers.get('x-request-id')).toBe('provider-trace-42')
    const replaced = await harness.app.request('/healthz', {
      headers: { 'X-Request-Id': 'bad id\twith spaces' },
    })
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_/)
  })

  test('each request writes one access log line with its id and route pattern', async ({
    harness,
  }) => {
    const res = await harness.app.request('/openapi.json')
    const id = res.headers.get('x-request-id')
    const lines = harness.logs.entries().filter((e) => e.request_id === id && e.msg === 'request')
    expect(lines).toEqual([
      expect.objectContaining({ method: 'GET', route: '/openapi.json', status: 200 }),
    ])
  })
})

describe('security headers', () => {
  test('responses forbid framing, sniffing and caching by default', async ({ harness }) => {
    const res = await harness.app.request('/healthz')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })
})
