import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { exampleValue, type SchemaObject } from '../../src/docs/schema.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { fundedProvider, generate, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

interface Operation {
  method: string
  path: string
  security: string[]
  hasBody: boolean
  /** A plausible body built from the documented examples. */
  example: Record<string, unknown> | undefined
  query: string[]
}

async function operations(app: App): Promise<Operation[]> {
  const doc = await (await app.request('/openapi.json')).json()
  const ops: Operation[] = []
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const security = ((op.security as Record<string, unknown>[] | undefined) ?? []).flatMap((s) =>
        Object.keys(s),
      )
      const params = (op.parameters as { in: string; name: string }[] | undefined) ?? []
      const schema = (op.requestBody as { content?: Record<string, { schema?: SchemaObject }> })
        ?.content?.['application/json']?.schema
      ops.push({
        method: method.toUpperCase(),
        path,
        security,
        hasBody: op.requestBody !== undefined,
        example: schema ? (exampleValue(doc, schema) as Record<string, unknown>) : undefined,
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
      })
    }
  }
  return ops
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '𝕮𝖆𝖘𝖍',
  '０１２３',
  'a\u200bb',
  '../../etc/passwd',
  "'; drop table claims; --",
  '<script>alert(1)</script>',
  'x'.repeat(5000),
  '-1',
  '1e309',
  'NaN',
  'null',
  '%00',
]

const NASTY_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  Number.MAX_VALUE,
  2 ** 64,
  -(2 ** 63),
  [],
  {},
  [1, 2],
  { $gt: '' },
  ...NASTY_STRINGS,
]

const RAW_BODIES = [
  '',
  'null',
  '[]',
  '"text"',
  '123',
  'true',
  '{',
  '{"a":',
  '{"a":1}{"b":2}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"amount": 1${'0'.repeat(400)}}`,
  '\u0000',
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"x": 1}}}',
]

/** Percent-encodes; a lone surrogate becomes its (invalid) UTF-8 bytes, as a hostile client would send. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    return '%ED%A0%80'
  }
}

function fill(path: string, provider: TestProvider, claim: string, value?: string): string {
  return path.replace(/{(\w+)}/g, (_, name: string) => {
    if (value !== undefined) return encode(value)
    if (name === 'name') return provider.name
    if (name === 'version') return '1'
    if (name === 'uuid') return claim
    return crypto.randomUUID()
  })
}

function headersFor(op: Operation, provider: TestProvider): Record<string, string> {
  if (op.security.includes('operatorToken')) return { Authorization: `Bearer ${OPERATOR_TOKEN}` }
  if (op.security.includes('providerKey')) return { Authorization: `Bearer ${provider.key}` }
  return {}
}

function withField(base: Record<string, unknown>, path: string[], value: unknown) {
  const copy = structuredClone(base)
  let target: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>
  target[path.at(-1) ?? ''] = value
  return copy
}

async function expectHandled(app: App, label: string, path: string, init: RequestInit) {
  const res = await app.request(path, init)
  const text = await res.text()
  expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500)
  if (res.status >= 400) {
    const body = JSON.parse(text)
    expect(typeof body.message, label).toBe('string')
    expect(typeof body.code, label).toBe('string')
    expect(body.request_id, label).toBe(res.headers.get('x-request-id'))
    expect(text, label).not.toMatch(/\bat .+:\d+:\d+|node_modules|syntax error|violates|relation /)
  }
}

describe('hostile input on every documented operation', () => {
  test('malformed bodies, fields, parameters and credentials never cause a 5xx', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const claim = (await generate(app, provider, { amount: 5, id: 'hostile' })).body.uuid
    const ops = await operations(app)
    expect(ops.length).toBeGreaterThan(10)

    for (const op of ops) {
      const headers = headersFor(op, provider)
      const path = fill(op.path, provider, claim)

      for (const value of NASTY_STRINGS) {
        if (!op.path.includes('{')) break
        const junkPath = fill(op.path, provider, claim, value)
        await expectHandled(app, `${op.method} ${junkPath}`, junkPath, {
          method: op.method,
          headers,
          ...(op.hasBody ? { body: '{}' } : {}),
        })
      }
      for (const name of op.query) {
        for (const value of NASTY_STRINGS) {
          const url = `${path}?${name}=${encode(value)}`
          await expectHandled(app, `${op.method} ${url}`, url, { method: op.method, headers })
        }
      }
      for (const auth of [
        'Bearer',
        'Bearer ',
        'Basic abc',
        `Bearer ${'x'.repeat(10_000)}`,
        'Bearer ck_\u00ff',
      ]) {
        await expectHandled(app, `${op.method} ${path} with ${auth.slice(0, 20)}`, path, {
          method: op.method,
          headers: { Authorization: auth },
        })
      }
      if (!op.hasBody) continue
      for (const raw of RAW_BODIES) {
        await expectHandled(app, `${op.method} ${path} raw ${raw.slice(0, 30)}`, path, {
          method: op.method,
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: raw,
        })
      }
      for (const contentType of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
      ]) {
        await expectHandled(app, `${op.method} ${path} as ${contentType}`, path, {
          method: op.method,
          headers: { ...headers, 'Content-Type': contentType },
          body: 'a=1',
        })
      }
      const base = op.example ?? {}
      const fieldPaths = Object.entries(base).flatMap(([key, value]) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? [[key], ...Object.keys(value).map((inner) => [key, inner])]
          : [[key]],
      )
      expect(fieldPaths.length, `${op.method} ${op.path} has an example body`).toBeGreaterThan(0)
      for (const fieldPath of fieldPaths) {
        for (const value of NASTY_VALUES) {
          const body = JSON.stringify(withField(base, fieldPath, value))
          await expectHandled(app, `${op.method} ${path} ${body.slice(0, 60)}`, path, {
            method: op.method,
            headers: { ...headers, 'Content-Type': 'application/json' },
            body,
          })
        }
      }
    }
  }, 240_000)
})
