/**
 * Turns an OpenAPI 3 document into the plain data the API reference page renders:
 * operations grouped by tag, schemas flattened into field rows, and example requests.
 */

export interface SchemaObject {
  $ref?: string
  type?: string | string[]
  format?: string
  description?: string
  example?: unknown
  default?: unknown
  enum?: unknown[]
  nullable?: boolean
  properties?: Record<string, SchemaObject>
  required?: string[]
  items?: SchemaObject
  oneOf?: SchemaObject[]
  anyOf?: SchemaObject[]
  allOf?: SchemaObject[]
  additionalProperties?: boolean | SchemaObject
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number | boolean
  minLength?: number
  maxLength?: number
  pattern?: string
}

interface MediaObject {
  schema?: SchemaObject
}

interface ParameterObject {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: SchemaObject
}

interface OperationObject {
  operationId?: string
  tags?: string[]
  summary?: string
  description?: string
  security?: Record<string, string[]>[]
  parameters?: ParameterObject[]
  requestBody?: { description?: string; required?: boolean; content?: Record<string, MediaObject> }
  responses?: Record<string, { description?: string; content?: Record<string, MediaObject> }>
}

export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string }
  servers?: { url: string; description?: string }[]
  tags?: { name: string; description?: string }[]
  paths?: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>>
  components?: {
    schemas?: Record<string, SchemaObject>
    securitySchemes?: Record<string, { type?: string; scheme?: string; description?: string }>
  }
  security?: Record<string, string[]>[]
}

export interface FieldRow {
  name: string
  type: string
  required: boolean
  description?: string
  constraints?: string
}

export interface ParameterRow extends FieldRow {
  location: string
}

export interface ResponseView {
  status: string
  description: string
  fields: FieldRow[]
}

export interface OperationView {
  anchor: string
  method: string
  path: string
  summary: string
  description?: string
  security: string[]
  parameters: ParameterRow[]
  body?: FieldRow[]
  example: string
  responses: ResponseView[]
}

export interface TagGroup {
  name: string
  description?: string
  operations: OperationView[]
}

export interface ReferenceModel {
  title: string
  version: string
  description?: string
  serverUrl: string
  groups: TagGroup[]
  security: { name: string; description: string }[]
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

export function buildReference(doc: OpenApiDocument): ReferenceModel {
  const serverUrl = doc.servers?.[0]?.url ?? ''
  const groups = new Map<string, TagGroup>()
  for (const tag of doc.tags ?? []) {
    groups.set(tag.name, { name: tag.name, description: tag.description, operations: [] })
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const tag = op.tags?.[0] ?? 'Other'
      const group = groups.get(tag) ?? { name: tag, operations: [] }
      groups.set(tag, group)
      group.operations.push(operationView(doc, method, path, op, serverUrl))
    }
  }
  return {
    title: doc.info.title,
    version: doc.info.version,
    description: doc.info.description,
    serverUrl,
    groups: [...groups.values()].filter((g) => g.operations.length > 0),
    security: Object.entries(doc.components?.securitySchemes ?? {}).map(([name, scheme]) => ({
      name,
      description: scheme.description ?? `${scheme.type ?? ''} ${scheme.scheme ?? ''}`.trim(),
    })),
  }
}

function operationView(
  doc: OpenApiDocument,
  method: string,
  path: string,
  op: OperationObject,
  serverUrl: string,
): OperationView {
  const bodySchema = op.requestBody?.content?.['application/json']?.schema
  const security = (op.security ?? doc.security ?? []).flatMap((req) => Object.keys(req))
  return {
    anchor: op.operationId ?? `${method}-${path}`.replace(/[^\w-]+/g, '-'),
    method: method.toUpperCase(),
    path,
    summary: op.summary ?? `${method.toUpperCase()} ${path}`,
    description: op.description,
    security,
    parameters: (op.parameters ?? []).map((p) => ({
      ...row(doc, p.name, p.schema ?? {}, p.required ?? false),
      description: p.description ?? p.schema?.description,
      location: p.in,
    })),
    body: bodySchema ? flattenFields(doc, bodySchema) : undefined,
    example: curlExample(doc, method, path, serverUrl, bodySchema, security),
    responses: Object.entries(op.responses ?? {}).map(([status, response]) => {
      const schema = response.content?.['application/json']?.schema
      return {
        status,
        description: response.description ?? '',
        fields: schema ? flattenFields(doc, schema) : [],
      }
    }),
  }
}

export function resolve(doc: OpenApiDocument, schema: SchemaObject): SchemaObject {
  let current = schema
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '')
    current = { ...doc.components?.schemas?.[name], description: current.description }
    if (!current.description) delete current.description
  }
  return current
}

/** One row per field, nested objects and arrays of objects spelled as `a.b` and `a[].b`. */
export function flattenFields(
  doc: OpenApiDocument,
  schema: SchemaObject,
  prefix = '',
  depth = 0,
): FieldRow[] {
  const resolved = resolve(doc, schema)
  if (depth > 6) return []
  const variants = resolved.oneOf ?? resolved.anyOf
  if (variants) {
    return variants.flatMap((variant, i) =>
      flattenFields(doc, variant, prefix, depth + 1).map((r) => ({
        ...r,
        description: [`(option ${i + 1})`, r.description].filter(Boolean).join(' '),
      })),
    )
  }
  if (resolved.allOf) {
    return resolved.allOf.flatMap((part) => flattenFields(doc, part, prefix, depth + 1))
  }
  const rows: FieldRow[] = []
  const required = new Set(resolved.required ?? [])
  for (const [name, prop] of Object.entries(resolved.properties ?? {})) {
    const full = `${prefix}${name}`
    rows.push(row(doc, full, prop, required.has(name)))
    const inner = resolve(doc, prop)
    if (inner.properties || inner.oneOf || inner.anyOf || inner.allOf) {
      rows.push(...flattenFields(doc, inner, `${full}.`, depth + 1))
    } else if (inner.items) {
      const item = resolve(doc, inner.items)
      if (item.properties || item.oneOf || item.anyOf) {
        rows.push(...flattenFields(doc, item, `${full}[].`, depth + 1))
      }
    }
  }
  return rows
}

function row(
  doc: OpenApiDocument,
  name: string,
  schema: SchemaObject,
  required: boolean,
): FieldRow {
  const resolved = resolve(doc, schema)
  return {
    name,
    type: typeLabel(doc, resolved),
    required,
    description: resolved.description,
    constraints: constraintsLabel(resolved),
  }
}

export function typeLabel(doc: OpenApiDocument, schema: SchemaObject): string {
  const s = resolve(doc, schema)
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ')
  const variants = s.oneOf ?? s.anyOf
  if (variants) return variants.map((v) => typeLabel(doc, v)).join(' | ')
  const type = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null').join(' | ') : s.type
  const nullable = s.nullable || (Array.isArray(s.type) && s.type.includes('null'))
  let label = type ?? (s.properties ? 'object' : 'any')
  if (type === 'array' && s.items) label = `array of ${typeLabel(doc, s.items)}`
  if (s.format) label = `${label} (${s.format})`
  return nullable ? `${label} or null` : label
}

function constraintsLabel(s: SchemaObject): string | undefined {
  const parts: string[] = []
  if (typeof s.minimum === 'number') parts.push(`≥ ${s.minimum}`)
  if (typeof s.exclusiveMinimum === 'number') parts.push(`> ${s.exclusiveMinimum}`)
  if (typeof s.maximum === 'number') parts.push(`≤ ${s.maximum}`)
  if (typeof s.minLength === 'number' && s.minLength === s.maxLength) {
    parts.push(`exactly ${s.minLength} characters`)
  } else {
    if (typeof s.minLength === 'number') parts.push(`at least ${s.minLength} characters`)
    if (typeof s.maxLength === 'number') parts.push(`at most ${s.maxLength} characters`)
  }
  if (s.pattern) parts.push(`matches ${s.pattern}`)
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`)
  return parts.length > 0 ? parts.join(', ') : undefined
}

/** A plausible value for a schema, preferring the examples written beside it. */
export function exampleValue(doc: OpenApiDocument, schema: SchemaObject, depth = 0): unknown {
  const s = resolve(doc, schema)
  if (s.example !== undefined) return s.example
  if (s.default !== undefined) return s.default
  if (s.enum?.length) return s.enum[0]
  // Beside properties, `anyOf` only constrains them (ProfileUpdate: "at least one of").
  const variant = s.properties ? undefined : (s.oneOf ?? s.anyOf)?.[0]
  if (variant) return exampleValue(doc, variant, depth + 1)
  if (depth > 6) return null
  if (s.properties) {
    return Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, exampleValue(doc, v, depth + 1)]),
    )
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  switch (type) {
    case 'array':
      return s.items ? [exampleValue(doc, s.items, depth + 1)] : []
    case 'integer':
    case 'number':
      return s.minimum ?? 1
    case 'boolean':
      return true
    case 'string':
      return s.format === 'uuid' ? '2ff61013-b559-4504-9eb7-aa6749c352f0' : 'string'
    default:
      return null
  }
}

function curlExample(
  doc: OpenApiDocument,
  method: string,
  path: string,
  serverUrl: string,
  body: SchemaObject | undefined,
  security: string[],
): string {
  const lines = [`curl -X ${method.toUpperCase()} '${serverUrl}${path.replace(/{(\w+)}/g, ':$1')}'`]
  if (security.length > 0) lines.push(`  -H 'Authorization: Bearer <${security[0]}>'`)
  if (body) {
    lines.push(`  -H 'Content-Type: application/json'`)
    lines.push(`  -d '${JSON.stringify(exampleValue(doc, body))}'`)
  }
  return lines.join(' \\\n')
}
