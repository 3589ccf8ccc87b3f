import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { call, expectError, fundedProvider, registration } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const encoder = new TextEncoder()

/** `before`, one raw byte that is never valid in UTF-8 on its own, then `after`. */
function withByte(before: string, byte: number, after: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([...encoder.encode(before), byte, ...encoder.encode(after)])
}

async function post(app: App, path: string, body: Uint8Array<ArrayBuffer>, key?: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (key) headers.Authorization = `Bearer ${key}`
  const res = await app.request(path, { method: 'POST', headers, body })
  return { status: res.status, body: await res.json() }
}

function expectNotUtf8(reply: { status: number; body: Record<string, unknown> }) {
  expect(reply.status).toBe(400)
  expect(reply.body.code).toBe('invalid_json')
  expect(reply.body.message).toMatch(/UTF-8/)
}

describe('request bodies are read as strict UTF-8', () => {
  test('ids that differ only in invalid bytes are refused, not merged into one key', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const path = `/cashout/generate/${provider.name}`
    // Decoded leniently, both ids become "u\uFFFD": the second call would replay the first claim.
    for (const byte of [0xff, 0xfe]) {
      const reply = await post(
        app,
        path,
        withByte('{"amount":100,"id":"u', byte, '"}'),
        provider.key,
      )
      expectNotUtf8(reply)
    }
    const claims = await call(app, 'GET', '/cashout/claims', { key: provider.key })
    expect(claims.status).toBe(200)
    expect(claims.body.claims).toEqual([])
  })

  test('a truncated multi-byte sequence and an encoded surrogate are refused too', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const path = `/cashout/generate/${provider.name}`
    const truncated = Uint8Array.from([...encoder.encode('{"amount":100,"id":"'), 0xc3, 0x22, 0x7d])
    const surrogate = Uint8Array.from([
      ...encoder.encode('{"amount":100,"id":"'),
      0xed,
      0xa0,
      0x80,
      ...encoder.encode('"}'),
    ])
    expectNotUtf8(await post(app, path, truncated, provider.key))
    expectNotUtf8(await post(app, path, surrogate, provider.key))
  })

  test('registration is covered as well', async ({ harness }) => {
    const json = JSON.stringify(registration({ name: 'PLACEHOLDER' }))
    const [before, after] = json.split('PLACEHOLDER') as [string, string]
    const reply = await post(harness.app, '/cashout/register', withByte(before, 0xff, after))
    expectNotUtf8(reply)
  })

  test('valid UTF-8 with non-ASCII text still works, and tells ü from u', async ({ harness }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const path = `/cashout/generate/${provider.name}`
    const umlaut = await post(app, path, encoder.encode('{"amount":100,"id":"ü-1"}'), provider.key)
    expect(umlaut.status).toBe(200)
    const plain = await post(app, path, encoder.encode('{"amount":100,"id":"u-1"}'), provider.key)
    expect(plain.status).toBe(200)
    expect(plain.body.uuid).not.toBe(umlaut.body.uuid)
    const again = await post(app, path, encoder.encode('{"amount":100,"id":"ü-1"}'), provider.key)
    expect(again.body.uuid).toBe(umlaut.body.uuid)
  })

  test('a byte order mark is still accepted, as before', async ({ harness }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const body = Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode('{"amount":100,"id":"b"}')])
    const reply = await post(app, `/cashout/generate/${provider.name}`, body, provider.key)
    expect(reply.status).toBe(200)
  })

  test('over a real socket too, with or without Content-Length', async ({ harness }) => {
    // Node's server hands the app a lighter request than app.request does; both must be strict.
    const { app } = harness
    const provider = await fundedProvider(app)
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const { port } = server.address() as AddressInfo
    const send = (body: Uint8Array, chunked: boolean) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = request(
          {
            port,
            host: '127.0.0.1',
            path: `/cashout/generate/${provider.name}`,
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${provider.key}`,
              ...(chunked ? {} : { 'Content-Length': body.length }),
            },
          },
          (res) => {
            let text = ''
            res.on('data', (chunk) => {
              text += chunk
            })
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
          },
        )
        req.on('error', reject)
        // Split inside the multi-byte sequence: decoding must see the whole body, not chunks.
        req.write(body.slice(0, body.length - 3))
        req.end(body.slice(body.length - 3))
      })
    try {
      for (const chunked of [false, true]) {
        expectNotUtf8(await send(withByte('{"amount":100,"id":"u', 0xff, '"}'), chunked))
        const ok = await send(encoder.encode(`{"amount":100,"id":"ü-${chunked}"}`), chunked)
        expect(ok.status).toBe(200)
      }
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('malformed JSON in valid UTF-8 keeps its own message', async ({ harness }) => {
    const provider = await fundedProvider(harness.app)
    const reply = await call(harness.app, 'POST', `/cashout/generate/${provider.name}`, {
      key: provider.key,
      raw: '{"amount":',
    })
    expectError(reply, 400, 'invalid_json')
    expect(reply.body.message).not.toMatch(/UTF-8/)
  })
})
