import { describe, expect, it } from 'vitest'
import { createMemo, exampleValue, type RefRoot, schemaView, withoutNull } from './schema.ts'

const doc: RefRoot = {
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
      Node: {
        type: 'object',
        properties: { value: { type: 'string' }, next: { $ref: '#/components/schemas/Node' } },
      },
      Timestamps: {
        type: 'object',
        required: ['created_at'],
        properties: { created_at: { type: 'string', format: 'date-time' } },
      },
    },
  },
}

describe('schemaView', () => {
  it('expands a reference, keeping its name and the description written beside it', () => {
    const view = schemaView(doc, { $ref: '#/components/schemas/Money', description: 'The fee.' })
    expect(view).toMatchObject({ type: 'Money', ref: 'Money', nullable: false })
    expect(view.description).toEqual([
      { kind: 'paragraph', children: [{ kind: 'text', text: 'The fee.' }] },
    ])
    expect(view.fields?.map((f) => [f.name, f.schema.type, f.required])).toEqual([
      ['amount_minor', 'integer', true],
      ['currency', '"AUD"', false],
    ])
    expect(view.fields?.[0]?.schema.constraints).toEqual(['≥ 0'])
  })

  it('reuses a bare reference’s view, but not one described on the spot', () => {
    const memo = createMemo()
    const money = { $ref: '#/components/schemas/Money' }
    const first = schemaView(doc, money, memo)
    expect(schemaView(doc, { ...money }, memo)).toBe(first)
    const described = schemaView(doc, { ...money, description: 'The fee.' }, memo)
    expect(described).not.toBe(first)
    expect(described.description).toHaveLength(1)
    expect(first.description).toBeUndefined()
  })

  it('stops at a schema that contains itself, marking the place', () => {
    const view = schemaView(doc, { $ref: '#/components/schemas/Node' })
    const next = view.fields?.find((f) => f.name === 'next')?.schema
    expect(next).toMatchObject({ type: 'Node', ref: 'Node', circular: true })
    expect(next?.fields).toBeUndefined()
  })

  it('merges allOf of objects into one object', () => {
    const view = schemaView(doc, {
      allOf: [
        { $ref: '#/components/schemas/Timestamps' },
        { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      ],
    })
    expect(view.fields?.map((f) => [f.name, f.required])).toEqual([
      ['created_at', true],
      ['id', true],
    ])
  })

  it('names alternatives without a discriminator by title, reference or type', () => {
    const view = schemaView(doc, {
      oneOf: [
        { title: 'By amount', type: 'object', properties: { amount: { type: 'integer' } } },
        { $ref: '#/components/schemas/Money' },
        { type: 'string', format: 'uuid' },
      ],
    })
    expect(view.type).toBe('object or Money or string (uuid)')
    expect(view.variants?.discriminator).toBeUndefined()
    expect(view.variants?.options.map((o) => o.title)).toEqual([
      'By amount',
      'Money',
      'string (uuid)',
    ])
  })

  it('finds the field that tells alternatives apart when no discriminator is declared', () => {
    const view = schemaView(doc, {
      oneOf: [
        { type: 'object', properties: { kind: { type: 'string', enum: ['a'] } } },
        { type: 'object', properties: { kind: { const: 'b' } } },
      ],
    })
    expect(view.variants?.discriminator).toBe('kind')
    expect(view.variants?.options.map((o) => o.title)).toEqual(['kind: "a"', 'kind: "b"'])
  })

  it('describes lengths, item counts, patterns, defaults and safe-integer bounds in words', () => {
    expect(schemaView(doc, { type: 'string', minLength: 1, maxLength: 1 }).constraints).toEqual([
      'exactly 1 character',
    ])
    expect(
      schemaView(doc, { type: 'array', minItems: 1, items: { type: 'string' } }).constraints,
    ).toEqual(['at least 1 item'])
    expect(
      schemaView(doc, { type: 'integer', maximum: 9007199254740991, default: 5 }).constraints,
    ).toEqual(['default 5'])
    expect(schemaView(doc, { type: 'string', pattern: '^\\d{4}$' }).constraints).toEqual([
      'matches ^\\d{4}$',
    ])
    expect(schemaView(doc, { type: 'number', exclusiveMaximum: 10 }).constraints).toEqual(['< 10'])
  })

  it('keeps real alternatives beside fields when they add fields of their own', () => {
    const view = schemaView(doc, {
      type: 'object',
      properties: { a: { type: 'string' } },
      anyOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
        { type: 'object', required: ['b'], properties: { b: { type: 'string' } } },
      ],
    })
    expect(view.constraints).toEqual([])
    expect(view.variants?.options.map((o) => o.title)).toEqual(['with a', 'with b'])
  })

  it('shows a map’s values under its extra keys', () => {
    const view = schemaView(doc, { type: 'object', additionalProperties: { type: 'integer' } })
    expect(view.type).toBe('object')
    expect(view.extra?.type).toBe('integer')
  })
})

describe('withoutNull', () => {
  it('treats every spelling of "may be null" alike', () => {
    for (const schema of [
      { type: 'string', nullable: true },
      { type: ['string', 'null'] },
      { anyOf: [{ type: 'string' }, { type: 'null' }] },
      { oneOf: [{ type: 'null' }, { type: 'string' }] },
      { type: 'string', enum: ['a', null] },
    ]) {
      const { schema: s, nullable } = withoutNull(doc, schema)
      expect(nullable, JSON.stringify(schema)).toBe(true)
      expect(s.type, JSON.stringify(schema)).toBe('string')
    }
    expect(withoutNull(doc, { type: 'string' }).nullable).toBe(false)
  })
})

describe('exampleValue', () => {
  it('prefers written examples, then defaults, const, enums and types', () => {
    expect(exampleValue(doc, { $ref: '#/components/schemas/Money' })).toEqual({
      amount_minor: 1250,
      currency: 'AUD',
    })
    expect(exampleValue(doc, { type: 'string', examples: ['first', 'second'] })).toBe('first')
    expect(exampleValue(doc, { type: 'boolean', default: false })).toBe(false)
    expect(exampleValue(doc, { const: 'bank' })).toBe('bank')
    expect(exampleValue(doc, { type: 'integer', minimum: 5 })).toBe(5)
    expect(exampleValue(doc, { type: ['null', 'integer'] })).toBe(1)
    expect(exampleValue(doc, { type: 'string', format: 'email' })).toBe('jane@example.com')
  })

  it('does not loop on a schema that contains itself', () => {
    expect(
      JSON.stringify(exampleValue(doc, { $ref: '#/components/schemas/Node' })).length,
    ).toBeLessThan(2000)
  })
})
