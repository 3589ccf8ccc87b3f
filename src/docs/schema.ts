/**
 * JSON Schema, as OpenAPI 3.0 and 3.1 write it, turned into a tree a page can show: each field
 * with its type in words, its constraints, and its own fields, items or alternatives beneath it.
 */
import { type Markdown, parseMarkdown } from './markdown.ts'

export interface SchemaObject {
  $ref?: string
  title?: string
  type?: string | string[]
  format?: string
  description?: string
  example?: unknown
  examples?: unknown[]
  default?: unknown
  enum?: unknown[]
  const?: unknown
  /** OpenAPI 3.0's spelling of `type: [..., 'null']`. */
  nullable?: boolean
  deprecated?: boolean
  readOnly?: boolean
  writeOnly?: boolean
  properties?: Record<string, SchemaObject>
  required?: string[]
  items?: SchemaObject
  oneOf?: SchemaObject[]
  anyOf?: SchemaObject[]
  allOf?: SchemaObject[]
  discriminator?: { propertyName: string; mapping?: Record<string, string> }
  additionalProperties?: boolean | SchemaObject
  minimum?: number
  maximum?: number
  /** A number in 3.1; a flag on `minimum` in 3.0. */
  exclusiveMinimum?: number | boolean
  exclusiveMaximum?: number | boolean
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  contentMediaType?: string
}

/** Where `$ref`s point: any JSON pointer into the document. */
export interface RefRoot {
  components?: Record<string, Record<string, unknown> | undefined>
}

export interface SchemaView {
  /** The type in words: `string (uuid)`, `array of Payout`, `"payid"`, `integer or null`. */
  type: string
  /** The component the schema came from, for a link to its own entry. */
  ref?: string
  description?: Markdown
  constraints: string[]
  /** The allowed values of an enum, as JSON. */
  values?: string[]
  nullable: boolean
  deprecated: boolean
  fields?: FieldView[]
  /** Extra keys an object allows (`additionalProperties` with a schema). */
  extra?: SchemaView
  items?: SchemaView
  variants?: VariantsView
  /** The schema contains itself here; its fields are shown further up. */
  circular?: boolean
}

export interface FieldView {
  name: string
  required: boolean
  schema: SchemaView
}

export interface VariantsView {
  kind: 'oneOf' | 'anyOf' | 'allOf'
  /** The field whose value says which alternative a value is. */
  discriminator?: string
  options: { title: string; schema: SchemaView }[]
}

const MAX_DEPTH = 12

/** Follows `$ref`s (keeping siblings such as `description`, as 3.1 allows) to the schema itself. */
export function resolve(
  doc: RefRoot,
  schema: SchemaObject,
): { schema: SchemaObject; ref?: string } {
  let current = schema
  let ref: string | undefined
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const { $ref, ...siblings } = current
    const target = pointer(doc, $ref) as SchemaObject | undefined
    ref = $ref.split('/').at(-1)
    current = { ...target, ...siblings }
  }
  return { schema: current, ref }
}

/** The value at a local JSON pointer (`#/components/schemas/Claim`). */
export function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = doc
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

const isNullSchema = (s: SchemaObject) =>
  s.type === 'null' ||
  (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'null') ||
  s.const === null

/**
 * A schema with its `null` alternatives taken out: `type: ['string', 'null']`,
 * `nullable: true` and `anyOf: [X, {type: 'null'}]` all become "X, or null".
 */
export function withoutNull(
  doc: RefRoot,
  input: SchemaObject,
): { schema: SchemaObject; ref?: string; nullable: boolean } {
  const { schema, ref } = resolve(doc, input)
  let nullable = schema.nullable === true
  let s: SchemaObject = schema
  if (Array.isArray(s.type) && s.type.includes('null')) {
    nullable = true
    const rest = s.type.filter((t) => t !== 'null')
    s = { ...s, type: rest.length === 1 ? rest[0] : rest }
  }
  if (s.enum?.includes(null)) {
    nullable = true
    s = { ...s, enum: s.enum.filter((v) => v !== null) }
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = s[key]
    if (!options?.some((o) => isNullSchema(resolve(doc, o).schema))) continue
    nullable = true
    const rest = options.filter((o) => !isNullSchema(resolve(doc, o).schema))
    const { [key]: _dropped, ...outer } = s
    if (rest.length === 1 && rest[0]) {
      // `anyOf: [{$ref: X}, {type: null}]` with a description beside it: X, described here.
      const inner = withoutNull(doc, rest[0])
      const merged = { ...inner.schema, ...definedOnly(outer) }
      return { schema: merged, ref: inner.ref ?? ref, nullable: true }
    }
    s = { ...outer, [key]: rest }
  }
  return { schema: s, ref, nullable }
}

function definedOnly(s: SchemaObject): SchemaObject {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as SchemaObject
}

/**
 * What one document's views share: a component is expanded once and reused wherever it is
 * referenced (the same Claim appears under a dozen operations), and each description is
 * parsed once. This keeps the whole reference's model to a few tens of milliseconds.
 */
export interface Memo {
  views: Map<string, SchemaView>
  markdown: Map<string, Markdown>
}

export function createMemo(): Memo {
  return { views: new Map(), markdown: new Map() }
}

export function markdownOf(memo: Memo, text: string | undefined): Markdown | undefined {
  if (!text) return undefined
  let parsed = memo.markdown.get(text)
  if (!parsed) {
    parsed = parseMarkdown(text)
    memo.markdown.set(text, parsed)
  }
  return parsed
}

/** The schema as a tree of fields, items and alternatives, with each `$ref` expanded once per path. */
export function schemaView(
  doc: RefRoot,
  input: SchemaObject,
  memo: Memo = createMemo(),
): SchemaView {
  return build(doc, input, [], 0, memo)
}

function build(
  doc: RefRoot,
  input: SchemaObject,
  seen: string[],
  depth: number,
  memo: Memo,
): SchemaView {
  // A bare reference (with at most its own description) has one view, whatever the path to it;
  // only whether it closes a loop differs. Reuse keeps a loop finite: the view reused was cut
  // where its own loop closed.
  const plainRef =
    input.$ref && Object.keys(input).every((k) => k === '$ref' || k === 'description')
  const key = plainRef
    ? `${input.$ref}\u0000${input.description ?? ''}\u0000${seen.some((r) => input.$ref?.endsWith(`/${r}`))}`
    : undefined
  const cached = key ? memo.views.get(key) : undefined
  if (cached) return cached
  const view = buildFresh(doc, input, seen, depth, memo)
  if (key) memo.views.set(key, view)
  return view
}

function buildFresh(
  doc: RefRoot,
  input: SchemaObject,
  seen: string[],
  depth: number,
  memo: Memo,
): SchemaView {
  const { schema: s, ref, nullable } = withoutNull(doc, input)
  const view: SchemaView = {
    type: typeWords(doc, s, ref),
    ref,
    description: markdownOf(memo, s.description),
    constraints: constraints(s),
    nullable,
    deprecated: s.deprecated === true,
  }
  const values = s.enum && s.enum.length > 1 ? s.enum.map((v) => JSON.stringify(v)) : undefined
  if (values) view.values = values
  if (ref && seen.includes(ref)) return { ...view, circular: true }
  if (depth > MAX_DEPTH) return view
  const path = ref ? [...seen, ref] : seen

  const merged = s.allOf ? mergeAllOf(doc, s) : s
  if (merged.allOf) {
    view.variants = variants(doc, 'allOf', merged.allOf, undefined, path, depth, memo)
  }
  for (const kind of ['oneOf', 'anyOf'] as const) {
    const options = merged[kind]
    if (!options) continue
    const sets = requiredSets(doc, options, merged.properties)
    if (sets) {
      // `anyOf: [{required: [a]}, {required: [b]}]` only says which fields must be sent.
      const words = kind === 'anyOf' ? 'at least one of' : 'exactly one of'
      view.constraints.push(`send ${words}: ${sets.map((set) => set.join(' + ')).join('; ')}`)
    } else {
      view.variants = variants(doc, kind, options, merged.discriminator, path, depth, memo)
    }
  }
  if (merged.properties) {
    const required = new Set(merged.required ?? [])
    view.fields = Object.entries(merged.properties).map(([name, prop]) => ({
      name,
      required: required.has(name),
      schema: build(doc, prop, path, depth + 1, memo),
    }))
  }
  if (typeof merged.additionalProperties === 'object') {
    view.extra = build(doc, merged.additionalProperties, path, depth + 1, memo)
  }
  if (merged.items) {
    const items = build(doc, merged.items, path, depth + 1, memo)
    if (items.fields || items.variants || items.items || items.values || items.description) {
      view.items = items
    }
  }
  return view
}

/**
 * The options' required lists, when that is all the options add to the fields beside them:
 * each is a bare `required`, or an object that restates some of those fields (as generators
 * want, so a client still sees one object type) and requires them.
 */
function requiredSets(
  doc: RefRoot,
  options: SchemaObject[],
  fields: SchemaObject['properties'],
): string[][] | undefined {
  const known = new Set(Object.keys(fields ?? {}))
  const RESTATING = new Set(['required', 'description', 'title', 'type', 'properties'])
  const sets: string[][] = []
  for (const option of options) {
    const o = resolve(doc, option).schema
    if (!o.required?.length) return undefined
    if (!Object.keys(o).every((k) => RESTATING.has(k) || k === 'additionalProperties')) {
      return undefined
    }
    if (o.type !== undefined && o.type !== 'object') return undefined
    if (!Object.keys(o.properties ?? {}).every((name) => known.has(name))) return undefined
    if (!o.required.every((name) => known.has(name) || !o.properties)) return undefined
    sets.push(o.required)
  }
  return sets
}

/** `allOf` of objects is one object with every part's fields; anything else stays a list. */
function mergeAllOf(doc: RefRoot, s: SchemaObject): SchemaObject {
  const parts = (s.allOf ?? []).map((p) => resolve(doc, p).schema)
  if (!parts.every((p) => p.properties || p.type === 'object')) return s
  const { allOf: _parts, ...rest } = s
  return {
    ...rest,
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties), s.properties),
    required: [...parts.flatMap((p) => p.required ?? []), ...(s.required ?? [])],
  }
}

function variants(
  doc: RefRoot,
  kind: VariantsView['kind'],
  options: SchemaObject[],
  discriminator: SchemaObject['discriminator'],
  seen: string[],
  depth: number,
  memo: Memo,
): VariantsView {
  const property = discriminator?.propertyName ?? impliedDiscriminator(doc, options)
  return {
    kind,
    discriminator: property,
    options: options.map((option, i) => ({
      title: optionTitle(doc, option, i, property, discriminator?.mapping),
      schema: build(doc, option, seen, depth + 1, memo),
    })),
  }
}

/** A field every alternative has, with one fixed value in each: `type` in a destination. */
function impliedDiscriminator(doc: RefRoot, options: SchemaObject[]): string | undefined {
  const first = resolve(doc, options[0] ?? {}).schema
  for (const name of Object.keys(first.properties ?? {})) {
    const fixed = options.map((o) => fixedValue(doc, resolve(doc, o).schema.properties?.[name]))
    if (options.length > 1 && fixed.every((v) => v !== undefined)) {
      if (new Set(fixed.map((v) => JSON.stringify(v))).size === options.length) return name
    }
  }
  return undefined
}

function fixedValue(doc: RefRoot, schema: SchemaObject | undefined): unknown {
  if (!schema) return undefined
  const s = resolve(doc, schema).schema
  if (s.const !== undefined) return s.const
  if (s.enum?.length === 1) return s.enum[0]
  return undefined
}

function optionTitle(
  doc: RefRoot,
  option: SchemaObject,
  index: number,
  discriminator: string | undefined,
  mapping: Record<string, string> | undefined,
): string {
  const { schema, ref } = resolve(doc, option)
  if (discriminator) {
    const mapped = Object.entries(mapping ?? {}).find(([, target]) => target === option.$ref)
    if (mapped) return `${discriminator}: ${JSON.stringify(mapped[0])}`
    const value = fixedValue(doc, schema.properties?.[discriminator] ?? {})
    if (value !== undefined) return `${discriminator}: ${JSON.stringify(value)}`
  }
  if (schema.title) return schema.title
  if (ref) return ref
  if (schema.required?.length) return `with ${schema.required.join(', ')}`
  const type = typeWords(doc, schema, undefined)
  return type === 'object' || type === 'any' ? `Option ${index + 1}` : type
}

/** The type in words, with `or null` left to the caller (see `withoutNull`). */
export function typeWords(doc: RefRoot, s: SchemaObject, ref: string | undefined): string {
  if (s.const !== undefined) return JSON.stringify(s.const)
  if (s.enum?.length === 1) return JSON.stringify(s.enum[0])
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : []
  const label = (type: string): string => {
    if (type === 'array') {
      if (!s.items) return 'array'
      const inner = withoutNull(doc, s.items)
      const words = typeWords(doc, inner.schema, inner.ref)
      return `array of ${inner.nullable ? `(${words} or null)` : words}`
    }
    if (type === 'object' && ref) return ref
    const format = s.format ?? (s.contentMediaType ? s.contentMediaType : undefined)
    return format ? `${type} (${format})` : type
  }
  if (types.length > 0) return types.map(label).join(' or ')
  if (ref) return ref
  if (s.properties || s.additionalProperties !== undefined) return 'object'
  const options = s.oneOf ?? s.anyOf
  if (options) {
    const words = options.map((o) => {
      const inner = withoutNull(doc, o)
      return typeWords(doc, inner.schema, inner.ref)
    })
    return [...new Set(words)].join(' or ')
  }
  if (s.allOf) return 'object'
  return 'any'
}

/** Beyond JavaScript's safe integers a bound says nothing a reader can use. */
const meaningful = (n: unknown): n is number =>
  typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER

function constraints(s: SchemaObject): string[] {
  const parts: string[] = []
  const lower =
    typeof s.exclusiveMinimum === 'number'
      ? { n: s.exclusiveMinimum, strict: true }
      : { n: s.minimum, strict: s.exclusiveMinimum === true }
  const upper =
    typeof s.exclusiveMaximum === 'number'
      ? { n: s.exclusiveMaximum, strict: true }
      : { n: s.maximum, strict: s.exclusiveMaximum === true }
  if (meaningful(lower.n)) parts.push(`${lower.strict ? '>' : '≥'} ${lower.n}`)
  if (meaningful(upper.n)) parts.push(`${upper.strict ? '<' : '≤'} ${upper.n}`)
  parts.push(...lengthWords(s.minLength, s.maxLength, 'character'))
  parts.push(...lengthWords(s.minItems, s.maxItems, 'item'))
  if (s.pattern) parts.push(`matches ${s.pattern}`)
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`)
  if (s.readOnly) parts.push('read-only')
  if (s.writeOnly) parts.push('write-only')
  return parts
}

function lengthWords(min: number | undefined, max: number | undefined, unit: string): string[] {
  const plural = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`
  const hasMin = typeof min === 'number' && min > 0
  const hasMax = typeof max === 'number'
  if (hasMin && hasMax && min === max) return [`exactly ${plural(min)}`]
  if (hasMin && hasMax) return [`${min} to ${plural(max)}`]
  if (hasMin) return [`at least ${plural(min)}`]
  if (hasMax) return [`at most ${plural(max)}`]
  return []
}

const SAMPLE_STRINGS: Record<string, string> = {
  uuid: '2ff61013-b559-4504-9eb7-aa6749c352f0',
  'date-time': '2026-03-01T10:00:00Z',
  date: '2026-03-01',
  email: 'jane@example.com',
  uri: 'https://example.com',
  url: 'https://example.com',
}

/** A plausible value for a schema, preferring the examples written beside it. */
export function exampleValue(doc: RefRoot, schema: SchemaObject, depth = 0): unknown {
  const { schema: s } = withoutNull(doc, schema)
  if (s.example !== undefined) return s.example
  if (s.examples?.length) return s.examples[0]
  if (s.default !== undefined) return s.default
  if (s.const !== undefined) return s.const
  if (s.enum?.length) return s.enum[0]
  if (depth > MAX_DEPTH) return null
  const merged = s.allOf ? mergeAllOf(doc, s) : s
  const variant = (merged.oneOf ?? merged.anyOf ?? merged.allOf)?.[0]
  if (variant && !merged.properties) return exampleValue(doc, variant, depth + 1)
  if (merged.properties) {
    return Object.fromEntries(
      Object.entries(merged.properties).map(([k, v]) => [k, exampleValue(doc, v, depth + 1)]),
    )
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  switch (type) {
    case 'array':
      return s.items ? [exampleValue(doc, s.items, depth + 1)] : []
    case 'integer':
    case 'number':
      return meaningful(s.minimum) ? s.minimum : 1
    case 'boolean':
      return true
    case 'string':
      return SAMPLE_STRINGS[s.format ?? ''] ?? 'string'
    case 'object':
      return {}
    default:
      return null
  }
}
