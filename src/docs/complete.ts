import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from 'openapi3-ts/oas31'
import { ErrorSchemaName, errorDescriptions } from '../http/openapi.ts'

/**
 * What every operation shares, declared once here rather than on each of the routes: the
 * headers every response carries, and the answers any operation can give whatever its route
 * says (a body too large, an internal error). Route definitions declare what is theirs.
 */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {}
  doc.components.headers = { ...doc.components.headers, ...SHARED_HEADERS }
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as OperationObject | undefined
      if (operation) completeOperation(operation, method)
    }
  }
  for (const schema of requestOnlySchemas(doc)) moveDefaultsToDescriptions(schema)
  for (const schema of Object.values(doc.components.schemas ?? {})) spellOutVariants(schema)
  return doc
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

const ref = (name: keyof typeof SHARED_HEADERS): ReferenceObject => ({
  $ref: `#/components/headers/${name}`,
})

const SHARED_HEADERS = {
  'X-Request-Id': {
    description:
      'This request’s id: yours, when you sent a plain one (letters, digits, `_`, `-`, `=`; up to 255), else a new `req_…`. Quote it to support; errors carry it as `request_id` too.',
    required: true,
    schema: { type: 'string', example: 'req_3f0c9d0b8f6a4c1e9a2b7d4e5f6a7b8c' },
  },
  'Retry-After': {
    description: 'Whole seconds to wait before trying again.',
    required: true,
    schema: { type: 'integer', minimum: 1, example: 60 },
  },
  'WWW-Authenticate': {
    description:
      'The scheme to authenticate with, `Bearer` (with `error="invalid_token"` for a key that is not, or no longer, valid).',
    schema: { type: 'string', example: 'Bearer error="invalid_token"' },
  },
  'Idempotent-Replayed': {
    description:
      '`true` when this answer repeats an earlier request’s result (the same `id` and body); absent on the first.',
    schema: { type: 'string', enum: ['true'] },
  },
} satisfies Record<string, HeaderObject>

function completeOperation(operation: OperationObject, method: (typeof METHODS)[number]) {
  operation.responses ??= {}
  const responses = operation.responses as Record<string, ResponseObject>
  // Any request may carry a body, and the size limit is checked before routing.
  if (method !== 'get') responses['413'] ??= errorResponse(413)
  responses['500'] ??= errorResponse(500)
  for (const [status, response] of Object.entries(responses)) {
    response.headers ??= {}
    const headers = response.headers
    headers['X-Request-Id'] = ref('X-Request-Id')
    if (status === '401') headers['WWW-Authenticate'] ??= ref('WWW-Authenticate')
    if (status === '429') headers['Retry-After'] ??= ref('Retry-After')
  }
}

function errorResponse(status: number): ResponseObject {
  return {
    description: errorDescriptions[status] ?? 'Error.',
    content: {
      'application/json': { schema: { $ref: `#/components/schemas/${ErrorSchemaName}` } },
    },
  }
}

/**
 * Component schemas only requests use. A `default` there says what the server assumes when a
 * field is left out, but generated clients read `default` as "always present", which is true
 * of a response and makes the field required in a request. So a request schema says it in
 * words instead.
 */
function requestOnlySchemas(doc: OpenAPIObject): SchemaObject[] {
  const requests = new Set<string>()
  const responses = new Set<string>()
  const inline: SchemaObject[] = []
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as OperationObject | undefined
      if (!operation) continue
      const body = operation.requestBody as RequestBodyObject | undefined
      for (const media of Object.values(body?.content ?? {})) {
        if (media.schema && !('$ref' in media.schema)) inline.push(media.schema)
      }
      collectRefs(operation.requestBody, requests)
      collectRefs(operation.parameters, requests)
      collectRefs(operation.responses, responses)
    }
  }
  const schemas = doc.components?.schemas ?? {}
  // A referenced schema's own references are reached by the same walk, to any depth.
  for (const set of [requests, responses]) {
    for (const name of set) collectRefs(schemas[name], set)
  }
  const named = [...requests].filter((name) => !responses.has(name) && schemas[name])
  return [...inline, ...named.map((name) => schemas[name] as SchemaObject)]
}

function collectRefs(node: unknown, into: Set<string>) {
  if (Array.isArray(node)) {
    for (const child of node) collectRefs(child, into)
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.match(/^#\/components\/schemas\/(.+)$/)?.[1]
        if (name) into.add(name)
      } else collectRefs(value, into)
    }
  }
}

function moveDefaultsToDescriptions(schema: SchemaObject) {
  for (const property of Object.values(schema.properties ?? {})) {
    if ('$ref' in property) continue
    if ('default' in property) {
      const said = `Default: \`${JSON.stringify(property.default)}\`.`
      property.description = property.description ? `${property.description} ${said}` : said
      delete property.default
    }
    moveDefaultsToDescriptions(property)
  }
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    if (!('$ref' in variant)) moveDefaultsToDescriptions(variant)
  }
}

/**
 * An `anyOf` of bare `required` lists beside `properties` ("send at least one of these") is
 * exact JSON Schema, but code generators read a variant without a type as `unknown`, which
 * swallows the whole type. Each variant is given its type and the properties it requires.
 */
function spellOutVariants(schema: SchemaObject | ReferenceObject) {
  if ('$ref' in schema || !schema.properties || !schema.anyOf) return
  const properties = schema.properties
  schema.anyOf = schema.anyOf.map((variant) => {
    if ('$ref' in variant || variant.type || variant.properties || !variant.required) {
      return variant
    }
    const named = variant.required.flatMap((name) => {
      const property = properties[name]
      return property ? [[name, property] as const] : []
    })
    return { type: 'object', required: variant.required, properties: Object.fromEntries(named) }
  })
}
