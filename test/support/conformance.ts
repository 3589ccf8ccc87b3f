import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/**
 * Holds a response to the OpenAPI document the app serves: the operation (method + path
 * template) must declare its status, the status its Content-Type, the Content-Type's schema
 * must accept a JSON body, and the headers below must be declared where they are sent. A
 * client generated from the document trusts exactly what it declares, so anything else the
 * app sends is a promise the document does not make.
 */

/**
 * Headers a client acts on, so the document must declare them on every response that sends
 * them. `X-Request-Id` is on every response (the request-id middleware), and it is listed
 * rather than waved through as global: the document is meant to declare it on each response
 * (one shared `components/headers` entry), so a generated client can read it.
 */
export const DECLARED_HEADERS = [
  'X-Request-Id',
  'Idempotent-Replayed',
  'Retry-After',
  'WWW-Authenticate',
] as const

/**
 * Statuses with which the app refuses a method the document does not list on a documented
 * path before any route is involved: the not-found handler's 404, the 405 a stricter router
 * would give, and the 413 of the body limit, which runs ahead of routing for every request.
 * No operation could declare them; any other status there means a route serves an operation
 * the document does not describe. Such a refusal is held to the one error shape only: no
 * operation declares its headers.
 */
const REFUSED_BEFORE_ROUTING = new Set([404, 405, 413])

/** The one error shape (src/http/openapi.ts names it `Error`). */
const ERROR_SCHEMA = '#/components/schemas/Error'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

/** The document's own `$ref`s point into it; its components are added to ajv under this id. */
const DOCUMENT_ID = 'https://conformance.invalid/openapi.json'

type Json = Record<string, unknown>

interface HeaderObject {
  required?: boolean
  schema?: Json
  $ref?: string
}
interface ResponseObject {
  $ref?: string
  content?: Record<string, { schema?: Json }>
  headers?: Record<string, HeaderObject>
}
interface Operation {
  responses?: Record<string, ResponseObject>
}
export interface ConformanceDocument {
  openapi: string
  servers?: unknown[]
  paths?: Record<string, Partial<Record<string, Operation>>>
  /** OpenAPI 3.1: what Cashout sends, by event name. */
  webhooks?: Record<string, { post?: WebhookOperation }>
  components?: Json
}

interface WebhookOperation {
  parameters?: { name: string; in: string; required?: boolean }[]
  requestBody?: { content?: Record<string, { schema?: Json }> }
}

/** What was wrong with one response; `problems` is never empty. */
export interface Nonconformance {
  method: string
  path: string
  /** `POST /cashout/generate/{name}`, or the path alone when the method is not documented. */
  operation: string
  status: number
  problems: string[]
}

export interface ConformanceChecker {
  /** Undefined when the response conforms, or when the path is not in the document. */
  check(method: string, path: string, response: Response): Promise<Nonconformance | undefined>
  /** A webhook about to be sent: its event named in `webhooks`, its body and headers as declared. */
  checkWebhook(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Nonconformance | undefined
}

interface Template {
  path: string
  segments: Segment[]
  item: Partial<Record<string, Operation>>
}

/** Literal segments rank above partly templated ones (`{id}.csv`), those above `{param}`. */
type Segment =
  | { kind: 'literal'; rank: 2; text: string }
  | { kind: 'pattern'; rank: 1; regex: RegExp }
  | { kind: 'param'; rank: 0 }

function parseSegment(text: string): Segment {
  if (!text.includes('{')) return { kind: 'literal', rank: 2, text }
  if (/^\{[^}]+\}$/.test(text)) return { kind: 'param', rank: 0 }
  const source = text
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+')
  return { kind: 'pattern', rank: 1, regex: new RegExp(`^${source}$`) }
}

function segmentMatches(segment: Segment, text: string): boolean {
  if (segment.kind === 'literal') return segment.text === text
  if (segment.kind === 'param') return text !== ''
  return segment.regex.test(text)
}

/** Negative when `a` is the more specific template: the first segment that differs decides. */
function bySpecificity(a: Template, b: Template): number {
  for (let i = 0; i < a.segments.length; i++) {
    const diff = (b.segments[i]?.rank ?? 0) - (a.segments[i]?.rank ?? 0)
    if (diff !== 0) return diff
  }
  return 0
}

/** A media type without its parameters (`; charset=UTF-8`), lower case. */
function mediaTypeOf(header: string | null): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase()
  return type || undefined
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json')
}

function declaredMediaType(content: Record<string, unknown>, mediaType: string) {
  const keys = Object.keys(content)
  const [major] = mediaType.split('/')
  return (
    keys.find((key) => mediaTypeOf(key) === mediaType) ??
    keys.find((key) => key === `${major}/*`) ??
    keys.find((key) => key === '*/*')
  )
}

/**
 * One schema from the document, made plain JSON Schema for ajv: `$ref`s point at the added
 * components, and OpenAPI 3.0's dialect (`nullable`, boolean `exclusiveMinimum`) becomes what
 * draft-07 says. 3.1 documents are JSON Schema 2020-12 already; only their `$ref`s change.
 */
export function toJsonSchema(schema: unknown, openapi30: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, openapi30))
  if (schema === null || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) {
      out[key] = `${DOCUMENT_ID}${value}`
    } else if (['example', 'examples', 'default', 'enum', 'const'].includes(key)) {
      out[key] = value // values, not schemas
    } else {
      out[key] = toJsonSchema(value, openapi30)
    }
  }
  return openapi30 ? from30(out) : out
}

function from30(schema: Json): Json {
  for (const bound of ['Minimum', 'Maximum'] as const) {
    const exclusive = `exclusive${bound}`
    const inclusive = bound.toLowerCase()
    if (schema[exclusive] === true) {
      schema[exclusive] = schema[inclusive]
      delete schema[inclusive]
    } else if (schema[exclusive] === false) delete schema[exclusive]
  }
  if (schema.nullable !== true) return schema
  const { nullable: _, ...rest } = schema
  if (Array.isArray(rest.enum) && !rest.enum.includes(null)) rest.enum = [...rest.enum, null]
  if (typeof rest.type === 'string') return { ...rest, type: [rest.type, 'null'] }
  // No `type` beside it (a `$ref`, an `allOf`): null or whatever the rest accepts.
  const constrains = Object.keys(rest).some((key) => !['description', 'example'].includes(key))
  return constrains ? { anyOf: [rest, { type: 'null' }] } : rest
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath || '(body)'
    const params = error.params as Record<string, unknown>
    let extra = ''
    if (error.keyword === 'additionalProperties') extra = `: '${params.additionalProperty}'`
    else if (error.keyword === 'enum') extra = `: ${JSON.stringify(params.allowedValues)}`
    return `${where} ${error.message}${extra}`
  })
}

function snippet(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/**
 * A checker over one document. Validators are compiled the first time a (operation, status,
 * media type) is seen and kept, so a test file pays a few milliseconds per schema it meets.
 */
export function conformanceChecker(document: ConformanceDocument): ConformanceChecker {
  const openapi30 = document.openapi.startsWith('3.0')
  // The document's schemas are not checked against JSON Schema's meta-schema here (compiling
  // that costs more than the rest of a file's checks): docs.test.ts validates the document.
  const options = { strict: false, allErrors: true, validateSchema: false }
  const ajv = openapi30 ? new Ajv(options) : new Ajv2020(options)
  addFormats(ajv, ['date-time', 'uri', 'email', 'uuid'])
  ajv.addSchema({
    $id: DOCUMENT_ID,
    components: toJsonSchema(document.components ?? {}, openapi30),
  })
  // Most responses share a schema (every error is `$ref: Error`): one validator per distinct
  // schema, found by the schema object itself after the first time.
  const bySchema = new WeakMap<Json, ValidateFunction>()
  const byText = new Map<string, ValidateFunction>()
  const validatorFor = (schema: Json) => {
    let validate = bySchema.get(schema)
    if (validate) return validate
    const text = JSON.stringify(schema)
    validate = byText.get(text) ?? ajv.compile(toJsonSchema(schema, openapi30) as Json)
    byText.set(text, validate)
    bySchema.set(schema, validate)
    return validate
  }

  const errorSchema = { $ref: ERROR_SCHEMA }

  const templates: Template[] = Object.entries(document.paths ?? {})
    .map(([path, item]) => ({
      path,
      item: item ?? {},
      segments: path.split('/').map(parseSegment),
    }))
    .sort(bySpecificity)

  /** A local `$ref` (`#/components/headers/RequestId`) followed to what it names. */
  const resolve = <T extends { $ref?: string }>(value: T): T => {
    let current: unknown = value
    for (let hops = 0; hops < 10; hops++) {
      const ref = (current as { $ref?: unknown } | undefined)?.$ref
      if (typeof ref !== 'string' || !ref.startsWith('#/')) return current as T
      current = ref
        .slice(2)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document)
    }
    return current as T
  }

  async function checkBody(schema: Json, response: Response, problems: string[]): Promise<void> {
    const text = await response.clone().text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      problems.push(`the body is not JSON: ${snippet(text)}`)
      return
    }
    const validate = validatorFor(schema)
    if (!validate(body)) {
      problems.push(
        `the body does not match the declared schema:\n    ${describeErrors(validate.errors).join('\n    ')}\n  body: ${snippet(text)}`,
      )
    }
  }

  function checkHeaders(declared: ResponseObject, response: Response, problems: string[]) {
    const headers = new Map(
      Object.entries(declared.headers ?? {}).map(([name, header]) => [
        name.toLowerCase(),
        resolve(header),
      ]),
    )
    for (const [name, header] of headers) {
      if (header?.required === true && !response.headers.has(name)) {
        problems.push(`the required header ${name} is missing`)
      }
    }
    for (const name of DECLARED_HEADERS) {
      if (response.headers.has(name) && !headers.has(name.toLowerCase())) {
        problems.push(`the header ${name} is sent but not declared`)
      }
    }
  }

  function checkWebhook(url: string, headers: Record<string, string>, body: string) {
    const problems: string[] = []
    const report = { method: 'POST', path: url, operation: 'webhook', status: 0, problems }
    let parsed: unknown
    try {
      parsed = JSON.parse(body)
    } catch {
      problems.push(`the webhook body is not JSON: ${snippet(body)}`)
      return report
    }
    const event = (parsed as { event?: unknown } | null)?.event
    const declared = typeof event === 'string' ? document.webhooks?.[event]?.post : undefined
    report.operation = `webhook ${String(event)}`
    if (!declared) {
      problems.push(`the event ${JSON.stringify(event)} is not in the document's webhooks`)
      return report
    }
    const sent = new Set(Object.keys(headers).map((name) => name.toLowerCase()))
    for (const parameter of declared.parameters ?? []) {
      if (parameter.in === 'header' && parameter.required && !sent.has(parameter.name)) {
        problems.push(`the required header ${parameter.name} is missing`)
      }
    }
    const schema = declared.requestBody?.content?.['application/json']?.schema
    if (!schema) problems.push('the document declares no JSON body for this event')
    else {
      const validate = validatorFor(schema)
      if (!validate(parsed)) {
        problems.push(
          `the body does not match the declared schema:\n    ${describeErrors(validate.errors).join('\n    ')}\n  body: ${snippet(body)}`,
        )
      }
    }
    return problems.length > 0 ? report : undefined
  }

  return {
    checkWebhook,
    async check(method, path, response) {
      const segments = path.split('/')
      const matching = templates.filter(
        (template) =>
          template.segments.length === segments.length &&
          template.segments.every((segment, i) => segmentMatches(segment, segments[i] ?? '')),
      )
      if (matching.length === 0) return undefined
      const verb = method.toLowerCase()
      // HEAD is GET without a body (Hono answers it from the GET route) unless documented itself.
      const head = verb === 'head'
      const found =
        matching.find((t) => t.item[verb]) ?? (head ? matching.find((t) => t.item.get) : undefined)
      const status = response.status
      const problems: string[] = []

      if (!found) {
        const report = {
          method,
          path,
          operation: `${method} ${matching[0]?.path}`,
          status,
          problems,
        }
        if (!REFUSED_BEFORE_ROUTING.has(status)) {
          const documented = METHODS.filter((m) => matching.some((t) => t.item[m]))
          problems.push(
            `${method} is not documented on this path (documented: ${documented.map((m) => m.toUpperCase()).join(', ')}), yet it answered ${status}`,
          )
        } else if (!head) {
          // The router's answer must still be the one error shape every client parses.
          const mediaType = mediaTypeOf(response.headers.get('Content-Type'))
          if (!mediaType || !isJson(mediaType)) {
            problems.push(`answered ${status} with ${mediaType ?? 'no Content-Type'}, not JSON`)
          } else if (resolve(errorSchema) !== undefined) {
            await checkBody(errorSchema, response, problems)
          }
        }
        return problems.length > 0 ? report : undefined
      }

      const operation = (found.item[verb] ?? found.item.get) as Operation
      const name = `${method} ${found.path}`
      const responses = operation.responses ?? {}
      const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find(
        (key) => responses[key],
      )
      const report = { method, path, operation: name, status, problems }
      if (!statusKey) {
        problems.push(
          `status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})`,
        )
        return report
      }
      const declared = resolve(responses[statusKey] as ResponseObject)
      checkHeaders(declared, response, problems)

      const content = declared.content ?? {}
      const mediaType = mediaTypeOf(response.headers.get('Content-Type'))
      const hasBody = response.body !== null && !head
      if (!mediaType) {
        if (Object.keys(content).length > 0 && hasBody) {
          problems.push(`no Content-Type, declared: ${Object.keys(content).join(', ')}`)
        }
      } else if (Object.keys(content).length === 0) {
        if (hasBody) problems.push(`Content-Type ${mediaType} sent, the status declares no body`)
      } else {
        const key = declaredMediaType(content, mediaType)
        const schema = key ? content[key]?.schema : undefined
        if (!key) {
          problems.push(
            `Content-Type ${mediaType} is not declared (declared: ${Object.keys(content).join(', ')})`,
          )
        } else if (schema && isJson(mediaType) && hasBody) {
          await checkBody(schema, response, problems)
        }
      }
      return problems.length > 0 ? report : undefined
    },
  }
}

/** One readable paragraph: what was called, what came back, and each problem on its line. */
export function describeNonconformance(found: Nonconformance): string {
  return [
    `${found.method} ${found.path} → ${found.status} does not conform to the OpenAPI document (${found.operation}):`,
    ...found.problems.map((problem) => `  - ${problem}`),
  ].join('\n')
}
