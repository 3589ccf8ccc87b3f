import { compileErrors, validate } from '@readme/openapi-parser'
import { describe, expect } from 'vitest'
import { test } from '../support/fixtures.ts'

describe('API documentation', () => {
  test('/openapi.json is a valid OpenAPI 3 document describing the routes', async ({ harness }) => {
    const res = await harness.app.request('/openapi.json')
    expect(res.status).toBe(200)
    const doc = await res.json()
    expect(doc.openapi).toMatch(/^3\./)
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
