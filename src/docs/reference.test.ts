import { describe, expect, it } from 'vitest'
import { authView, buildReference, type OperationView, typeLabel } from './reference.ts'
import { testDocument as doc } from './test-document.ts'

const model = buildReference(doc)
const operation = (anchor: string): OperationView => {
  const all = [...model.groups, ...(model.webhooks ? [model.webhooks] : [])].flatMap(
    (g) => g.operations,
  )
  const found = all.find((o) => o.anchor === anchor)
  if (!found) throw new Error(`no operation ${anchor}`)
  return found
}

describe('buildReference', () => {
  it('groups operations by their first tag, in document order, untagged ones last', () => {
    expect(model.groups.map((g) => [g.name, g.anchor, g.operations.map((o) => o.anchor)])).toEqual([
      ['Claims', 'tag-Claims', ['getClaim', 'submitClaim']],
      ['Providers', 'tag-Providers', ['updateProfile']],
      ['Other', 'tag-Other', ['health']],
    ])
    expect(model.openapi).toBe('3.1.0')
    expect(model.serverUrl).toBe('https://api.test')
  })

  it('parses Markdown in descriptions: the document’s, a tag’s, a scheme’s', () => {
    expect(model.description?.[0]).toMatchObject({
      kind: 'paragraph',
      children: expect.arrayContaining([
        { kind: 'code', text: '{"message", "code"}' },
        { kind: 'strong', children: [{ kind: 'text', text: 'the guide' }] },
        expect.objectContaining({ kind: 'link', href: 'https://spec.openapis.org/oas/v3.1.0' }),
      ]),
    })
    expect(model.groups[0]?.description?.[0]).toMatchObject({
      children: expect.arrayContaining([
        { kind: 'em', children: [{ kind: 'text', text: 'link' }] },
      ]),
    })
    expect(model.schemes).toEqual([
      expect.objectContaining({
        name: 'providerKey',
        anchor: 'auth-providerKey',
        kind: 'HTTP bearer',
      }),
    ])
  })

  it('reads per-operation security: optional, inherited, and none', () => {
    expect(operation('getClaim').auth).toEqual({ kind: 'optional', options: [['providerKey']] })
    expect(operation('submitClaim').auth).toEqual({ kind: 'required', options: [['providerKey']] })
    expect(operation('health').auth).toEqual({ kind: 'none' })
    expect(authView([{ a: [], b: [] }, { c: [] }])).toEqual({
      kind: 'required',
      options: [['a', 'b'], ['c']],
    })
    expect(authView(undefined)).toEqual({ kind: 'none' })
  })

  it('merges path-level parameters with the operation’s own, the operation’s winning', () => {
    expect(operation('getClaim').parameters).toEqual([
      expect.objectContaining({ name: 'uuid', location: 'path', required: true }),
    ])
    expect(operation('getClaim').parameters[0]?.schema.type).toBe('string (uuid)')
    expect(operation('submitClaim').parameters[0]?.description).toEqual([
      {
        kind: 'paragraph',
        children: [
          { kind: 'text', text: 'The claim’s ' },
          { kind: 'code', text: 'uuid' },
          { kind: 'text', text: '.' },
        ],
      },
    ])
  })

  it('shows a discriminated oneOf as its alternatives, named by the discriminator', () => {
    const body = operation('submitClaim').body
    expect(body).toMatchObject({ mediaType: 'application/json', required: true })
    expect(body?.schema?.ref).toBe('Destination')
    const variants = body?.schema?.variants
    expect(variants?.kind).toBe('oneOf')
    expect(variants?.discriminator).toBe('type')
    expect(variants?.options.map((o) => [o.title, o.schema.ref])).toEqual([
      ['type: "payid"', 'PayId'],
      ['type: "bank"', 'Bank'],
    ])
    const payid = variants?.options[0]?.schema.fields
    expect(payid?.map((f) => [f.name, f.schema.type, f.required])).toEqual([
      ['type', '"payid"', true],
      ['payid', 'string', true],
    ])
    expect(variants?.options[1]?.schema.fields?.[2]?.schema.constraints).toEqual([
      '4 to 9 characters',
    ])
  })

  it('reads an anyOf of required lists as which fields must be sent', () => {
    const schema = operation('updateProfile').body?.schema
    expect(schema?.variants).toBeUndefined()
    expect(schema?.constraints).toEqual(['send at least one of: endpoint; display_name'])
    expect(schema?.fields?.map((f) => [f.name, f.schema.type, f.schema.nullable])).toEqual([
      ['endpoint', 'string (uri)', false],
      ['display_name', 'string', true],
    ])
    expect(operation('updateProfile').body?.required).toBe(false)
  })

  it('folds null into "or null", for type arrays and for anyOf with a null branch', () => {
    const fields = operation('getClaim').responses[0]?.body?.schema?.fields ?? []
    const field = (name: string) => fields.find((f) => f.name === name)?.schema
    expect(field('status_reason')).toMatchObject({ type: 'string', nullable: true })
    expect(field('destination')).toMatchObject({
      type: 'Destination',
      ref: 'Destination',
      nullable: true,
    })
    expect(field('destination')?.variants?.options).toHaveLength(2)
    expect(field('status')?.values).toEqual(['"open"', '"settled"'])
    expect(field('points')?.constraints).toEqual(['> 0'])
    expect(field('events')?.items?.fields?.[0]).toMatchObject({ name: 'at' })
  })

  it('lists response headers, and names a shared error body instead of repeating it', () => {
    const [ok, limited] = operation('getClaim').responses
    expect(ok?.headers).toEqual([])
    expect(limited).toMatchObject({ status: '429', body: { shared: 'Error' } })
    expect(limited?.headers.map((h) => [h.name, h.schema.type])).toEqual([
      ['Retry-After', 'integer'],
    ])
    const submit = operation('submitClaim').responses
    expect(submit.flatMap((r) => r.headers.map((h) => h.name))).toEqual([
      'Idempotent-Replayed',
      'WWW-Authenticate',
    ])
    expect(operation('health').responses[0]?.body).toEqual({
      mediaType: 'text/plain',
      required: true,
    })
  })

  it('says once the headers every response carries, and leaves them out of each', () => {
    expect(model.commonHeaders.map((h) => [h.name, h.schema.type])).toEqual([
      ['X-Request-Id', 'string'],
    ])
    const allHeaders = model.groups.flatMap((g) =>
      g.operations.flatMap((o) => o.responses.flatMap((r) => r.headers.map((h) => h.name))),
    )
    expect(allHeaders).not.toContain('X-Request-Id')
    // With one response missing it, it is that response's own again.
    const { '/healthz': _health, ...paths } = doc.paths ?? {}
    const partial = buildReference({
      ...doc,
      paths: { ...paths, '/healthz': { get: { responses: { '200': { description: 'Up.' } } } } },
    })
    expect(partial.commonHeaders).toEqual([])
    expect(partial.groups[0]?.operations[0]?.responses[0]?.headers[0]?.name).toBe('X-Request-Id')
  })

  it('gives a successful JSON response an example body', () => {
    const example = JSON.parse(operation('getClaim').responses[0]?.example ?? 'null')
    expect(example).toMatchObject({
      uuid: '2ff61013-b559-4504-9eb7-aa6749c352f0',
      status: 'open',
      status_reason: 'string',
      destination: { type: 'payid', payid: 'jane@example.com' },
      events: [{ at: '2026-03-01T10:00:00Z' }],
    })
    expect(operation('getClaim').responses[1]?.example).toBeUndefined()
    // An example written on the media object wins over one made from the schema.
    expect(JSON.parse(operation('submitClaim').responses[0]?.example ?? 'null')).toEqual({
      uuid: 'u-1',
      status: 'submitted',
    })
  })

  it('writes a curl example with the credential only where it is required', () => {
    const submit = operation('submitClaim').example
    expect(submit.label).toBe('Example request')
    expect(submit.text).toBe(
      [
        "curl -X POST 'https://api.test/claims/{uuid}/submit'",
        "  -H 'Authorization: Bearer <providerKey>'",
        "  -H 'Content-Type: application/json'",
        `  -d '{\n    "type": "payid",\n    "payid": "jane@example.com"\n  }'`,
      ].join(' \\\n'),
    )
    expect(operation('getClaim').example.text).not.toContain('Authorization')
  })

  it('makes the webhooks section its own group, each event with headers and body', () => {
    expect(model.webhooks?.name).toBe('Webhook events')
    expect(model.webhooks?.anchor).toBe('webhooks')
    const event = operation('claimSettled')
    expect(event).toMatchObject({ method: 'POST', path: 'claim.settled', auth: undefined })
    expect(event.parameters.map((p) => [p.name, p.location, p.required])).toEqual([
      ['webhook-id', 'header', true],
      ['webhook-timestamp', 'header', true],
      ['webhook-signature', 'header', true],
    ])
    expect(event.body?.schema?.ref).toBe('ClaimEvent')
    expect(event.body?.schema?.fields?.[0]?.schema.values).toEqual([
      '"claim.settled"',
      '"claim.failed"',
    ])
    expect(event.example.label).toBe('Example body')
    expect(JSON.parse(event.example.text)).toMatchObject({ event: 'claim.settled' })
    // The next event with the same body names it rather than repeating it; its example is its own.
    const failed = operation('claimFailed')
    expect(failed.body).toMatchObject({ shared: 'ClaimEvent', schema: undefined })
    expect(JSON.parse(failed.example.text)).toMatchObject({ event: 'claim.failed' })
    expect(event.description?.[0]).toMatchObject({
      children: expect.arrayContaining([
        { kind: 'em', children: [{ kind: 'text', text: 'landed' }] },
      ]),
    })
  })

  it('has no webhooks group when the document has no webhooks', () => {
    expect(buildReference({ ...doc, webhooks: undefined }).webhooks).toBeUndefined()
  })

  it('builds a component’s view once and shares it wherever it is referenced', () => {
    const claim = operation('getClaim').responses[0]?.body?.schema
    expect(claim?.ref).toBe('Claim')
    expect(operation('submitClaim').responses[0]?.body?.schema).toBe(claim)
  })

  it('lists every component schema once, for the links to point at', () => {
    expect(model.schemas.map((s) => s.anchor)).toEqual([
      'schema-Error',
      'schema-PayId',
      'schema-Bank',
      'schema-Destination',
      'schema-ProfileUpdate',
      'schema-ClaimEvent',
      'schema-Claim',
    ])
  })

  it('still reads OpenAPI 3.0 spellings: nullable and boolean exclusiveMinimum', () => {
    expect(typeLabel(doc, { type: 'string', nullable: true })).toBe('string or null')
    expect(typeLabel(doc, { type: ['integer', 'null'] })).toBe('integer or null')
    expect(typeLabel(doc, { type: 'array', items: { $ref: '#/components/schemas/Claim' } })).toBe(
      'array of Claim',
    )
    const legacy = buildReference({
      ...doc,
      openapi: '3.0.3',
      webhooks: undefined,
      paths: {
        '/n': {
          get: {
            parameters: [
              {
                name: 'n',
                in: 'query',
                required: true,
                schema: { type: 'integer', minimum: 0, exclusiveMinimum: true },
              },
            ],
            responses: {},
          },
        },
      },
    })
    const op = legacy.groups[0]?.operations[0]
    expect(op?.anchor).toBe('get-n')
    expect(op?.parameters[0]?.schema.constraints).toEqual(['> 0'])
    expect(op?.example.text).toBe(
      "curl -X GET 'https://api.test/n?n=<n>' \\\n  -H 'Authorization: Bearer <providerKey>'",
    )
  })
})
