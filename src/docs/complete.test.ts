import type { OpenAPIObject } from 'openapi3-ts/oas31'
import { describe, expect, test } from 'vitest'
import { completeDocument } from './complete.ts'

const body = (name: string) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
})

function documentWith(schemas: Record<string, object>): OpenAPIObject {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        get: { responses: { 200: { description: 'ok', ...body('Shared') } } },
        post: {
          requestBody: body('Input'),
          responses: { 200: { description: 'ok', ...body('Shared') }, 401: { description: 'no' } },
        },
      },
    },
    components: { schemas },
  } as OpenAPIObject
}

describe('completeDocument', () => {
  test('a default in a request-only schema becomes words, to any depth; a response schema keeps its own', () => {
    const doc = completeDocument(
      documentWith({
        Input: {
          type: 'object',
          properties: {
            size: { type: 'integer', default: 3, description: 'How many.' },
            nested: { $ref: '#/components/schemas/Nested' },
            shared: { $ref: '#/components/schemas/Shared' },
          },
        },
        Nested: { type: 'object', properties: { mode: { type: 'string', default: 'fast' } } },
        Shared: { type: 'object', properties: { colour: { type: 'string', default: 'red' } } },
      }),
    )
    const schemas = doc.components?.schemas as Record<
      string,
      { properties: Record<string, object> }
    >
    expect(schemas.Input?.properties.size).toEqual({
      type: 'integer',
      description: 'How many. Default: `3`.',
    })
    expect(schemas.Nested?.properties.mode).toEqual({
      type: 'string',
      description: 'Default: `"fast"`.',
    })
    expect(schemas.Shared?.properties.colour).toEqual({ type: 'string', default: 'red' })
  })

  test('every response gets the request id; a 401 how to authenticate; a body-taking one a 413 and all a 500', () => {
    const doc = completeDocument(documentWith({ Input: {}, Shared: {} }))
    const get = doc.paths?.['/things']?.get?.responses ?? {}
    const post = doc.paths?.['/things']?.post?.responses ?? {}
    expect(Object.keys(get).sort()).toEqual(['200', '500'])
    expect(Object.keys(post).sort()).toEqual(['200', '401', '413', '500'])
    expect(post['401'].headers).toEqual({
      'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
      'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' },
    })
    expect(get['500'].headers).toEqual({
      'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
    })
    expect(Object.keys(doc.components?.headers ?? {})).toContain('Retry-After')
  })

  test('an anyOf of bare required lists spells out each variant, so generators do not read unknown', () => {
    const doc = completeDocument(
      documentWith({
        Input: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'integer' } },
          anyOf: [{ required: ['a'] }, { required: ['b'] }, { type: 'object', required: ['a'] }],
        },
        Shared: {},
      }),
    )
    const input = doc.components?.schemas?.Input as { anyOf: unknown[] }
    expect(input.anyOf).toEqual([
      { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
      { type: 'object', required: ['b'], properties: { b: { type: 'integer' } } },
      { type: 'object', required: ['a'] },
    ])
  })
})
