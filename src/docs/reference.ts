/**
 * Turns an OpenAPI 3.0 or 3.1 document into the plain data the API reference page renders:
 * operations grouped by tag, webhooks as their own group, schemas as trees, descriptions as
 * parsed Markdown, and example requests.
 */
import type { Markdown } from './markdown.ts'
import {
  createMemo,
  exampleValue,
  type Memo,
  markdownOf,
  pointer,
  type SchemaObject,
  type SchemaView,
  schemaView,
  typeWords,
  withoutNull,
} from './schema.ts'

export type { SchemaObject } from './schema.ts'

interface MediaObject {
  schema?: SchemaObject
  example?: unknown
  examples?: Record<string, { $ref?: string; summary?: string; value?: unknown }>
}

/** A media object's own example, else one made from its schema. */
function mediaExample(doc: OpenApiDocument, media: MediaObject): unknown {
  if (media.example !== undefined) return media.example
  for (const entry of Object.values(media.examples ?? {})) {
    const value = deref(doc, entry).value
    if (value !== undefined) return value
  }
  return media.schema ? exampleValue(doc, media.schema) : undefined
}

interface ParameterObject {
  $ref?: string
  name: string
  in: string
  required?: boolean
  deprecated?: boolean
  description?: string
  schema?: SchemaObject
  content?: Record<string, MediaObject>
}

interface HeaderObject {
  $ref?: string
  description?: string
  required?: boolean
  schema?: SchemaObject
}

interface ResponseObject {
  $ref?: string
  description?: string
  headers?: Record<string, HeaderObject>
  content?: Record<string, MediaObject>
}

interface RequestBodyObject {
  $ref?: string
  description?: string
  required?: boolean
  content?: Record<string, MediaObject>
}

/** Each entry names schemes that apply together; `{}` is "no authentication" as one choice. */
type SecurityRequirement = Record<string, string[]>

interface OperationObject {
  operationId?: string
  tags?: string[]
  summary?: string
  description?: string
  deprecated?: boolean
  security?: SecurityRequirement[]
  parameters?: ParameterObject[]
  requestBody?: RequestBodyObject
  responses?: Record<string, ResponseObject>
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

type PathItemObject = Partial<Record<(typeof METHODS)[number], OperationObject>> & {
  parameters?: ParameterObject[]
}

interface SecuritySchemeObject {
  type?: string
  scheme?: string
  name?: string
  in?: string
  description?: string
}

export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string; description?: string; summary?: string }
  servers?: { url: string; description?: string }[]
  tags?: { name: string; description?: string }[]
  paths?: Record<string, PathItemObject>
  /** 3.1: requests Cashout sends, by event name. */
  webhooks?: Record<string, PathItemObject>
  components?: {
    schemas?: Record<string, SchemaObject>
    securitySchemes?: Record<string, SecuritySchemeObject>
    [other: string]: Record<string, unknown> | undefined
  }
  security?: SecurityRequirement[]
}

export type AuthView =
  | { kind: 'none' }
  /** `options` are alternatives; the schemes inside one option are all sent together. */
  | { kind: 'required' | 'optional'; options: string[][] }

export interface ParameterView {
  name: string
  location: string
  required: boolean
  deprecated: boolean
  description?: Markdown
  schema: SchemaView
}

export interface BodyView {
  mediaType: string
  description?: Markdown
  required: boolean
  schema?: SchemaView
  /**
   * A component many responses share (the error shape): named and linked, not repeated in
   * each of them.
   */
  shared?: string
}

export interface HeaderView {
  name: string
  required: boolean
  description?: Markdown
  schema: SchemaView
}

export interface ResponseView {
  status: string
  description?: Markdown
  headers: HeaderView[]
  body?: BodyView
  /** A JSON example of a successful body. */
  example?: string
}

export interface OperationView {
  anchor: string
  method: string
  /** The URL path, or for a webhook its event name. */
  path: string
  summary: string
  description?: Markdown
  deprecated: boolean
  /** Undefined for a webhook, whose receiver decides how it is called. */
  auth?: AuthView
  parameters: ParameterView[]
  body?: BodyView
  /** A curl command, or for a webhook the body it carries. */
  example: { label: string; text: string }
  responses: ResponseView[]
}

export interface GroupView {
  anchor: string
  name: string
  description?: Markdown
  operations: OperationView[]
}

export interface SchemeView {
  name: string
  anchor: string
  kind: string
  description?: Markdown
}

export interface ReferenceModel {
  title: string
  version: string
  openapi: string
  description?: Markdown
  serverUrl: string
  groups: GroupView[]
  /** The document's `webhooks`, as one group after the tagged operations. */
  webhooks?: GroupView
  schemes: SchemeView[]
  /** Headers on every response of every operation, said once rather than in each response. */
  commonHeaders: HeaderView[]
  schemas: { name: string; anchor: string; schema: SchemaView }[]
}

const md = markdownOf
const slug = (text: string) => text.replace(/[^\w.-]+/g, '-').replace(/-{2,}/g, '-')
export const schemaAnchor = (name: string) => `schema-${slug(name)}`
export const authAnchor = (name: string) => `auth-${slug(name)}`

export function buildReference(doc: OpenApiDocument): ReferenceModel {
  const memo = createMemo()
  const serverUrl = doc.servers?.[0]?.url ?? ''
  const groups = new Map<string, GroupView>()
  const group = (name: string, description?: string) => {
    let found = groups.get(name)
    if (!found) {
      found = {
        anchor: `tag-${slug(name)}`,
        name,
        description: md(memo, description),
        operations: [],
      }
      groups.set(name, found)
    }
    return found
  }
  for (const tag of doc.tags ?? []) group(tag.name, tag.description)
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const view = operationView(doc, memo, method, path, op, item.parameters ?? [], serverUrl)
      group(op.tags?.[0] ?? 'Other').operations.push(view)
    }
  }

  const webhookOps = Object.entries(doc.webhooks ?? {}).flatMap(([event, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method]
      return op ? [webhookView(doc, memo, method, event, op, item.parameters ?? [])] : []
    }),
  )
  // Events that share a body schema show it in full once; later ones name and link it.
  const shown = new Set<string>()
  for (const op of webhookOps) {
    const ref = op.body?.schema?.ref
    if (!op.body || !ref) continue
    if (shown.has(ref)) op.body = { ...op.body, schema: undefined, shared: ref }
    shown.add(ref)
  }

  const tagged = [...groups.values()].filter((g) => g.operations.length > 0)
  const commonHeaders = takeCommonHeaders(tagged.flatMap((g) => g.operations))

  return {
    title: doc.info.title,
    version: doc.info.version,
    openapi: doc.openapi,
    description: md(memo, doc.info.description),
    serverUrl,
    groups: tagged,
    webhooks:
      webhookOps.length > 0
        ? {
            anchor: 'webhooks',
            name: 'Webhook events',
            description: md(
              memo,
              `Requests ${doc.info.title} sends to your endpoint, one per event.`,
            ),
            operations: webhookOps,
          }
        : undefined,
    schemes: Object.entries(doc.components?.securitySchemes ?? {}).map(([name, scheme]) => ({
      name,
      anchor: authAnchor(name),
      kind: schemeKind(scheme),
      description: md(memo, scheme.description),
    })),
    commonHeaders,
    schemas: Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => ({
      name,
      anchor: schemaAnchor(name),
      schema: schemaView(doc, schema, memo),
    })),
  }
}

/**
 * Takes out of each response the headers that every response has (a request id), returning
 * them: repeated in each of a few hundred responses they would bury the ones that matter.
 */
function takeCommonHeaders(operations: OperationView[]): HeaderView[] {
  const all = operations.flatMap((op) => op.responses)
  if (all.length < 2) return []
  const [first, ...rest] = all
  const common = (first?.headers ?? []).filter((h) =>
    rest.every((r) => r.headers.some((other) => other.name === h.name)),
  )
  const names = new Set(common.map((h) => h.name))
  for (const response of all) response.headers = response.headers.filter((h) => !names.has(h.name))
  return common
}

function schemeKind(scheme: SecuritySchemeObject): string {
  if (scheme.type === 'http' && scheme.scheme) return `HTTP ${scheme.scheme}`
  if (scheme.type === 'apiKey') return `API key in ${scheme.in ?? 'header'} ${scheme.name ?? ''}`
  return scheme.type ?? ''
}

/** Follows a `$ref` to a parameter, response, header or request body. */
function deref<T extends { $ref?: string }>(doc: OpenApiDocument, value: T): T {
  let current = value
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    current = (pointer(doc, current.$ref) ?? {}) as T
  }
  return current
}

/** What an operation asks for: `[]` is none, a `{}` among the choices makes the rest optional. */
export function authView(requirements: SecurityRequirement[] | undefined): AuthView {
  const options = (requirements ?? [])
    .map((r) => Object.keys(r))
    .filter((schemes) => schemes.length > 0)
  if (options.length === 0) return { kind: 'none' }
  const optional = (requirements ?? []).some((r) => Object.keys(r).length === 0)
  return { kind: optional ? 'optional' : 'required', options }
}

function parameters(
  doc: OpenApiDocument,
  memo: Memo,
  shared: ParameterObject[],
  own: ParameterObject[],
): ParameterView[] {
  const byKey = new Map<string, ParameterObject>()
  // An operation's parameter replaces the path item's one of the same name and place.
  for (const p of [...shared, ...own].map((p) => deref(doc, p))) byKey.set(`${p.in}:${p.name}`, p)
  return [...byKey.values()].map((p) => {
    const schema = p.schema ?? Object.values(p.content ?? {})[0]?.schema ?? {}
    return {
      name: p.name,
      location: p.in,
      required: p.required ?? p.in === 'path',
      deprecated: p.deprecated === true,
      description: md(memo, p.description),
      schema: schemaView(doc, schema, memo),
    }
  })
}

function firstMedia(content: Record<string, MediaObject> | undefined) {
  const entries = Object.entries(content ?? {})
  const json = entries.find(([type]) => /\bjson\b/.test(type))
  return json ?? entries[0]
}

function requestBody(doc: OpenApiDocument, memo: Memo, body: RequestBodyObject | undefined) {
  if (!body) return undefined
  const resolved = deref(doc, body)
  const [mediaType, media] = firstMedia(resolved.content) ?? ['application/json', {}]
  const view: BodyView = {
    mediaType,
    description: md(memo, resolved.description),
    required: resolved.required === true,
    schema: media.schema ? schemaView(doc, media.schema, memo) : undefined,
  }
  return { view, media, mediaType }
}

function responses(doc: OpenApiDocument, memo: Memo, op: OperationObject): ResponseView[] {
  return Object.entries(op.responses ?? {}).map(([status, raw]) => {
    const response = deref(doc, raw)
    const [mediaType, media] = firstMedia(response.content) ?? []
    const success = /^2/.test(status)
    let body: BodyView | undefined
    if (mediaType && media?.schema) {
      const { ref } = withoutNull(doc, media.schema)
      body =
        !success && media.schema.$ref && ref
          ? { mediaType, required: true, shared: ref }
          : { mediaType, required: true, schema: schemaView(doc, media.schema, memo) }
    } else if (mediaType) {
      body = { mediaType, required: true }
    }
    const json = success && mediaType && /\bjson\b/.test(mediaType) && media?.schema
    return {
      status,
      description: md(memo, response.description),
      headers: Object.entries(response.headers ?? {}).map(([name, raw]) => {
        const header = deref(doc, raw)
        return {
          name,
          required: header.required === true,
          description: md(memo, header.description ?? header.schema?.description),
          schema: schemaView(doc, { ...header.schema, description: undefined }, memo),
        }
      }),
      body,
      example: json ? JSON.stringify(mediaExample(doc, media), null, 2) : undefined,
    }
  })
}

function operationView(
  doc: OpenApiDocument,
  memo: Memo,
  method: string,
  path: string,
  op: OperationObject,
  shared: ParameterObject[],
  serverUrl: string,
): OperationView {
  const auth = authView(op.security ?? doc.security)
  const body = requestBody(doc, memo, op.requestBody)
  const params = parameters(doc, memo, shared, op.parameters ?? [])
  return {
    anchor: op.operationId ?? slug(`${method}-${path}`),
    method: method.toUpperCase(),
    path,
    summary: op.summary ?? `${method.toUpperCase()} ${path}`,
    description: md(memo, op.description),
    deprecated: op.deprecated === true,
    auth,
    parameters: params,
    body: body?.view,
    example: {
      label: 'Example request',
      text: curlExample(doc, { method, path, serverUrl, body, auth, params }),
    },
    responses: responses(doc, memo, op),
  }
}

function webhookView(
  doc: OpenApiDocument,
  memo: Memo,
  method: string,
  event: string,
  op: OperationObject,
  shared: ParameterObject[],
): OperationView {
  const body = requestBody(doc, memo, op.requestBody)
  let example = body ? mediaExample(doc, body.media) : undefined
  if (body && body.media.example === undefined && !body.media.examples) {
    example = namingTheEvent(doc, body.media.schema ?? {}, example, event)
  }
  return {
    anchor: op.operationId ?? `webhook-${slug(event)}`,
    method: method.toUpperCase(),
    path: event,
    summary: op.summary ?? event,
    description: md(memo, op.description),
    deprecated: op.deprecated === true,
    auth: op.security ? authView(op.security) : undefined,
    parameters: parameters(doc, memo, shared, op.parameters ?? []),
    body: body?.view,
    example: {
      label: 'Example body',
      text: example === undefined ? '' : JSON.stringify(example, null, 2),
    },
    responses: responses(doc, memo, op),
  }
}

/**
 * Events often share one body schema whose `event` field lists them all; a made-up example
 * would show the first name under every event. A top-level field that allows this event's name
 * is given it.
 */
function namingTheEvent(
  doc: OpenApiDocument,
  schema: SchemaObject,
  example: unknown,
  event: string,
): unknown {
  if (example === null || typeof example !== 'object' || Array.isArray(example)) return example
  const { schema: s } = withoutNull(doc, schema)
  const named = { ...(example as Record<string, unknown>) }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const p = withoutNull(doc, prop).schema
    if (p.enum?.includes(event) || p.const === event) named[name] = event
  }
  return named
}

/** The header a scheme is sent in, as curl writes it. */
function credentialHeader(doc: OpenApiDocument, name: string): string | undefined {
  const scheme = doc.components?.securitySchemes?.[name]
  if (scheme?.type === 'http' && scheme.scheme?.toLowerCase() === 'basic') {
    return `Authorization: Basic <${name}>`
  }
  if (scheme?.type === 'apiKey' && scheme.in === 'header' && scheme.name) {
    return `${scheme.name}: <${name}>`
  }
  if (scheme?.type === 'apiKey') return undefined
  return `Authorization: Bearer <${name}>`
}

function curlExample(
  doc: OpenApiDocument,
  request: {
    method: string
    path: string
    serverUrl: string
    body: ReturnType<typeof requestBody>
    auth: AuthView
    params: ParameterView[]
  },
): string {
  const { method, path, serverUrl, body, auth, params } = request
  const query = params
    .filter((p) => p.location === 'query' && p.required)
    .map((p) => `${p.name}=<${p.name}>`)
  const url = `${serverUrl}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`
  const lines = [`curl -X ${method.toUpperCase()} '${url}'`]
  if (auth.kind === 'required') {
    for (const name of auth.options[0] ?? []) {
      const header = credentialHeader(doc, name)
      if (header) lines.push(`  -H '${header}'`)
    }
  }
  if (body) {
    lines.push(`  -H 'Content-Type: ${body.mediaType}'`)
    if (body.media.schema && /\bjson\b/.test(body.mediaType)) {
      const json = JSON.stringify(mediaExample(doc, body.media), null, 2)
        .replaceAll("'", "'\\''")
        .replaceAll('\n', '\n  ')
      lines.push(`  -d '${json}'`)
    }
  }
  return lines.join(' \\\n')
}

/** The type of a schema in words, for callers that have no tree to show. */
export function typeLabel(doc: OpenApiDocument, schema: SchemaObject): string {
  const { schema: s, ref, nullable } = withoutNull(doc, schema)
  const words = typeWords(doc, s, ref)
  return nullable ? `${words} or null` : words
}
