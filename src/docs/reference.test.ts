import { describe, expect, it } from 'vitest'
import {
  buildReference,
  exampleValue,
  flattenFields,
  type OpenApiDocument,
  typeLabel,
} from './reference.ts'

const doc: OpenApiDocument = {
  openapi: '3.0.3',
  info: { title: 'T', version: '1' },
  servers: [{ url: 'https://api.test' }],
  tags: [{ name: 'Claims', description: 'Claims.' }],
  components: {
    schemas: {
      Money: {
        type: 'object',
        required: ['amount_minor'],
        properties: {
          amount_minor: { type: 'integer', minimum: 0, example: 1250 },
          currency: { type: 'string', enum: ['AUD'] },
        },
      },
    },
    securitySchemes: { providerKey: { type: 'http', scheme: 'bearer', description: 'API key' } },
  },
  paths: {
    '/claims/{uuid}': {
      get: {
        tags: ['Claims'],
        summary: 'Read a claim',
        security: [{ providerKey: [] }],
        parameters: [
          { name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        ],
        responses: {
          '200': {
            description: 'The claim',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['cash'],
                  properties: {
                    cash: { $ref: '#/components/schemas/Money' },
                    events: {
                      type: 'array',
                      items: { type: 'object', properties: { at: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      post: {
        tags: ['Claims'],
        summary: 'Submit',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'object', properties: { payid: { type: 'string', example: 'a@b.co' } } },
                  { type: 'object', properties: { bsb: { type: 'string' } } },
                ],
              },
            },
          },
        },
        responses: { '204': { description: 'Done' } },
      },
    },
  },
}

describe('buildReference', () => {
  const model = buildReference(doc)

  it('groups operations under their tag, in document order', () => {
    expect(model.groups.map((g) => g.name)).toEqual(['Claims'])
    expect(model.groups[0]?.operations.map((o) => o.method)).toEqual(['GET', 'POST'])
    expect(model.serverUrl).toBe('https://api.test')
    expect(model.security).toEqual([{ name: 'providerKey', description: 'API key' }])
  })

  it('flattens nested objects, references and arrays of objects into rows', () => {
    const get = model.groups[0]?.operations[0]
    expect(get?.responses[0]?.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['cash', 'object', true],
      ['cash.amount_minor', 'integer', true],
      ['cash.currency', '"AUD"', false],
      ['events', 'array of object', false],
      ['events[].at', 'string', false],
    ])
    expect(get?.responses[0]?.fields[1]?.constraints).toBe('≥ 0')
  })

  it('shows path parameters and authentication', () => {
    const get = model.groups[0]?.operations[0]
    expect(get?.parameters).toEqual([
      expect.objectContaining({
        name: 'uuid',
        type: 'string (uuid)',
        required: true,
        location: 'path',
      }),
    ])
    expect(get?.security).toEqual(['providerKey'])
    expect(get?.example).toContain("-H 'Authorization: Bearer <providerKey>'")
    expect(get?.example).toContain("'https://api.test/claims/:uuid'")
  })

  it('marks each option of a union body and builds the example from the first', () => {
    const post = model.groups[0]?.operations[1]
    expect(post?.body?.map((r) => [r.name, r.description])).toEqual([
      ['payid', '(option 1)'],
      ['bsb', '(option 2)'],
    ])
    expect(post?.example).toContain(`-d '{"payid":"a@b.co"}'`)
  })
})

describe('schema helpers', () => {
  it('labels types', () => {
    expect(typeLabel(doc, { type: 'string', nullable: true })).toBe('string or null')
    expect(typeLabel(doc, { type: ['integer', 'null'] })).toBe('integer or null')
    expect(typeLabel(doc, { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toBe(
      'string | integer',
    )
  })

  it('builds examples from examples, defaults and types', () => {
    expect(exampleValue(doc, { $ref: '#/components/schemas/Money' })).toEqual({
      amount_minor: 1250,
      currency: 'AUD',
    })
    expect(exampleValue(doc, { type: 'integer', minimum: 5 })).toBe(5)
    expect(exampleValue(doc, { type: 'boolean', default: false })).toBe(false)
  })

  it('does not loop on self-referencing schemas', () => {
    const loop: OpenApiDocument = {
      ...doc,
      components: {
        schemas: {
          Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } },
        },
      },
    }
    expect(flattenFields(loop, { $ref: '#/components/schemas/Node' }).length).toBeLessThan(20)
  })
})
