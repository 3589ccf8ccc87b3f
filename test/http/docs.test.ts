import { compileErrors, validate } from '@readme/openapi-parser'
import { describe, expect } from 'vitest'
import { LIFECYCLE } from '../../src/claims/lifecycle.ts'
import { test } from '../support/fixtures.ts'

type Doc = {
  paths: Record<string, Record<string, Operation>>
  webhooks: Record<string, { post: Operation }>
  components: { schemas: Record<string, Record<string, unknown>> }
}
type Operation = {
  operationId: string
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string; required?: boolean }[]
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> }
  responses: Record<string, { headers?: Record<string, unknown> }>
}

async function documentOf(harness: {
  app: { request(path: string): Response | Promise<Response> }
}) {
  return (await (await harness.app.request('/openapi.json')).json()) as Doc
}

function operationsOf(doc: Doc): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]): [string, Operation] => [`${method} ${path}`, op]),
  )
}

describe('API documentation', () => {
  test('/openapi.json is a valid OpenAPI 3 document describing the routes', async ({ harness }) => {
    const res = await harness.app.request('/openapi.json')
    expect(res.status).toBe(200)
    const doc = await res.json()
    expect(doc.openapi).toBe('3.1.0')
    const result = await validate(structuredClone(doc))
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']))
    expect(doc.servers).toEqual([{ url: 'http://cashout.test' }])
    expect(doc.components.schemas.Error.required).toEqual(['message', 'code', 'request_id'])
  })

  test('every operation has its own operationId, a verb in lowerCamelCase', async ({ harness }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const ids: string[] = []
    for (const [path, item] of Object.entries(doc.paths as Record<string, object>)) {
      for (const [method, op] of Object.entries(item as Record<string, { operationId?: string }>)) {
        // Generated clients name their methods after it (`generateClaim`, not `postCashoutGenerateName`).
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][a-zA-Z]+$/)
        ids.push(op.operationId ?? '')
      }
    }
    expect(ids.length).toBeGreaterThanOrEqual(45)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(
      expect.arrayContaining([
        'registerProvider',
        'generateClaim',
        'submitClaim',
        'decideSupportContact',
      ]),
    )
  })

  test('whole numbers in queries and paths are documented as integers with their bounds', async ({
    harness,
  }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const param = (path: string, name: string) =>
      doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name)?.schema
    for (const path of ['/cashout/claims', '/cashout/webhooks/deliveries', '/cashout/audit']) {
      expect(param(path, 'limit'), path).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 100,
      })
    }
    expect(param('/cashout/rules/versions/{version}', 'version')).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 999_999_999,
    })
  })

  test('/docs is a self-contained HTML reference of every operation', async ({ harness }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const res = await harness.app.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html.startsWith('<!doctype html>')).toBe(true)
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path}</code>`)

    const references = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
    expect(references.length).toBeGreaterThan(0)
    for (const ref of references) expect(ref).toMatch(/^(\/|#|data:)/)
    expect(html).not.toMatch(/<script|@import|url\(/i)

    for (const ref of references.filter((r) => r.startsWith('/assets/'))) {
      const asset = await harness.app.request(ref)
      expect(asset.status).toBe(200)
      expect(asset.headers.get('content-type')).toMatch(/^text\/css/)
      expect(await asset.text()).not.toMatch(/https?:\/\/|@import/)
    }
  })

  test('the webhooks section describes every event Cashout sends, signed', async ({ harness }) => {
    const doc = await documentOf(harness)
    const told = Object.values(LIFECYCLE).flatMap((t) => (t.told ? [t.event] : []))
    expect(Object.keys(doc.webhooks).sort()).toEqual(
      [...new Set(told), 'float.low', 'webhook.test'].sort(),
    )
    for (const [event, { post }] of Object.entries(doc.webhooks)) {
      const headers = (post.parameters ?? []).filter((p) => p.in === 'header' && p.required)
      expect(headers.map((h) => h.name).sort(), event).toEqual([
        'webhook-id',
        'webhook-signature',
        'webhook-timestamp',
      ])
      const schema = post.requestBody?.content['application/json']?.schema.$ref
      expect(schema, event).toMatch(/^#\/components\/schemas\/(Claim|FloatLow|WebhookTest)Event$/)
      expect(post.security).toEqual([{ webhookSignature: [] }])
    }
    const sequence = doc.components.schemas.ClaimEvent?.properties as Record<string, object>
    expect(sequence.sequence).toMatchObject({ minimum: 2 })
  })

  test('every response names its request id; refusals name how to authenticate or when to retry', async ({
    harness,
  }) => {
    const doc = await documentOf(harness)
    for (const [name, op] of operationsOf(doc)) {
      expect(op.responses['500'], name).toBeDefined()
      for (const [status, response] of Object.entries(op.responses)) {
        const headers = Object.keys(response.headers ?? {})
        expect(headers, `${name} ${status}`).toContain('X-Request-Id')
        if (status === '401') expect(headers, name).toContain('WWW-Authenticate')
        if (status === '429') expect(headers, name).toContain('Retry-After')
      }
      if (!name.startsWith('get ')) expect(op.responses['413'], name).toBeDefined()
    }
    const generate = doc.paths['/cashout/generate/{name}']?.post
    expect(Object.keys(generate?.responses['200']?.headers ?? {})).toContain('Idempotent-Replayed')
  })

  test('security is declared on every operation, optional and absent ones included', async ({
    harness,
  }) => {
    const doc = await documentOf(harness)
    const security = (path: string, method = 'post') => doc.paths[path]?.[method]?.security
    expect(security('/cashout/register')).toEqual([{}, { registrationToken: [] }])
    expect(security('/rail/hello-clever/callbacks/{payoutId}')).toEqual([{ railCallbackToken: [] }])
    expect(security('/healthz', 'get')).toEqual([])
    expect(security('/readyz', 'get')).toEqual([])
    for (const [name, op] of operationsOf(doc)) expect(op.security, name).toBeDefined()
  })

  test('a request schema states its defaults in words, so generated clients leave them optional', async ({
    harness,
  }) => {
    const doc = await documentOf(harness)
    const rule = doc.components.schemas.RuleUpdate as {
      required?: string[]
      properties: Record<string, { default?: unknown; description?: string }>
    }
    expect(rule.required).toEqual(['rate'])
    expect(rule.properties.min_points?.default).toBeUndefined()
    expect(rule.properties.min_points?.description).toContain('Default: `1`.')
    expect(JSON.stringify(doc.paths)).not.toContain('"default":')
    const rotate = doc.components.schemas.RotateSecret as { properties: Record<string, object> }
    expect(rotate.properties.overlap_seconds).not.toHaveProperty('default')
  })

  test('conditional bodies are said in the schema: a destination is one of two kinds, a profile update needs a field', async ({
    harness,
  }) => {
    const doc = await documentOf(harness)
    expect(doc.components.schemas.Destination).toMatchObject({
      oneOf: [
        { $ref: '#/components/schemas/PayIdDestination' },
        { $ref: '#/components/schemas/BankDestination' },
      ],
      discriminator: {
        propertyName: 'type',
        mapping: {
          payid: '#/components/schemas/PayIdDestination',
          bank: '#/components/schemas/BankDestination',
        },
      },
    })
    expect(doc.components.schemas.ProfileUpdate).toMatchObject({
      anyOf: expect.arrayContaining([
        expect.objectContaining({ type: 'object', required: ['endpoint'] }),
        expect.objectContaining({ required: ['pan', 'expDate', 'ipin', 'consent'] }),
      ]),
      dependentRequired: { pan: ['expDate', 'ipin', 'consent'] },
    })
    for (const path of ['/cashout/keys', '/cashout/webhooks/secret/rotate']) {
      expect(doc.paths[path]?.post?.requestBody, path).toMatchObject({ required: false })
    }
  })

  test.for([['nope.js'], ['constructor'], ['__proto__'], ['toString']])(
    'an unknown asset (%s) is a 404 in the error shape',
    async ([name], { harness }) => {
      const res = await harness.app.request(`/assets/${name}`)
      expect(res.status).toBe(404)
      expect((await res.json()).code).toBe('not_found')
    },
  )

  test('the root sends people to the reference', async ({ harness }) => {
    const res = await harness.app.request('/')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/docs')
  })
})
