import type { Random } from '../random.ts'
import type { Schema } from './routes.ts'

/** JSON text written as is: numbers JSON.stringify cannot make, and text that is not JSON. */
export class Raw {
  constructor(readonly text: string) {}
}
/** An object as ordered entries, so keys may repeat or be `__proto__`. */
export class Entries {
  constructor(readonly entries: [string, Json][]) {}
}
export type Json = null | boolean | number | string | Raw | Entries | Json[]

export function encode(value: Json): string {
  if (value instanceof Raw) return value.text
  if (value instanceof Entries)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${encode(v)}`).join(',')}}`
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`
  return JSON.stringify(value) ?? 'null'
}

/** Luhn-valid card numbers the fuzzer may send; none may come back in a response or a log. */
export function fuzzCards(random: Random, count: number) {
  return Array.from({ length: count }, () => {
    const digits = Array.from({ length: random.chance(0.8) ? 15 : 18 }, () => random.int(0, 9))
    digits[0] = random.pick([4, 5, 6])
    let sum = 0
    for (let i = 0; i < digits.length; i++) {
      let d = digits[digits.length - 1 - i] as number
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
      sum += d
    }
    return `${digits.join('')}${(10 - (sum % 10)) % 10}`
  })
}

const STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  'a\udc00b',
  '\u202e\u0644\u0627',
  '😀'.repeat(40),
  '<script>alert(1)</script>',
  "' OR '1'='1' --",
  '"; DROP TABLE claims; --',
  '%00%zz',
  '../../../etc/passwd',
  '$' + '{7*7}{{7*7}}',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '٤١١١',
  '４１１１',
  'null',
  'true',
  '99999999999999999999999',
  '\t\n\r',
  'a'.repeat(201),
  'x'.repeat(5000),
  'jane@example.com',
  '+61412345678',
  '062-000',
  '12345678',
  '2812',
  '0000',
  'acme-rewards',
  'http://127.0.0.1:1/hook',
  'https://169.254.169.254/latest/meta-data',
  'https://[::ffff:10.0.0.1]/x',
  'javascript:alert(1)',
]
const NUMBERS = [
  0,
  -1,
  1,
  1.5,
  -0.0001,
  2500,
  299,
  2_147_483_648,
  Number.MAX_SAFE_INTEGER,
  1e308,
  -1e308,
]
const RAW_NUMBERS = ['9007199254740993', '1e400', '-0', '0.1e1', '1E2', '-9223372036854775809']

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Percent-encoded for a URL; lone surrogates, which cannot be, become U+FFFD first. */
export const uri = (text: string) => encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'))

export function hostileString(random: Random, cards: string[]) {
  return random.chance(0.1) ? random.pick(cards) : random.pick(STRINGS)
}

export function hostileValue(random: Random, cards: string[], depth = 0): Json {
  const kind = random.int(0, depth > 2 ? 5 : 8)
  if (kind <= 2) return hostileString(random, cards)
  if (kind === 3) return random.pick(NUMBERS)
  if (kind === 4) return new Raw(random.pick(RAW_NUMBERS))
  if (kind === 5) return random.pick([null, true, false])
  if (kind === 6) return [hostileValue(random, cards, depth + 1)]
  if (kind === 7)
    return new Entries([
      ['$gt', ''],
      ['__proto__', new Entries([['admin', true]])],
    ])
  return new Entries([[hostileString(random, cards), hostileValue(random, cards, depth + 1)]])
}

export function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  return resolve(schemas[ref.split('/').pop() as string] ?? {}, schemas)
}

/**
 * The schema's type; of OpenAPI 3.1's `['integer', 'null']`, the one that is not null (a value
 * of the wrong type for it is then wrong for both, while `1` would be right).
 */
function typeOf(schema: Schema): unknown {
  const type = schema.type
  return Array.isArray(type) ? type.find((t) => t !== 'null') : type
}

/** A value shaped like the schema, plausible but often wrong in some detail. */
export function sample(
  schema: Schema,
  schemas: Record<string, Schema>,
  random: Random,
  cards: string[],
  depth = 0,
): Json {
  const s = resolve(schema, schemas)
  if (random.chance(0.08)) return hostileValue(random, cards)
  const variants = (s.oneOf ?? s.anyOf) as Schema[] | undefined
  if (variants) return sample(random.pick(variants), schemas, random, cards, depth)
  if (Array.isArray(s.enum)) return random.chance(0.9) ? random.pick(s.enum as Json[]) : 'other'
  switch (typeOf(s)) {
    case 'string':
      return typeof s.example === 'string' && random.chance(0.6)
        ? s.example
        : hostileString(random, cards)
    case 'integer':
    case 'number':
      return typeof s.example === 'number' && random.chance(0.5)
        ? s.example
        : random.chance(0.3)
          ? random.int(1, 100_000)
          : random.pick(NUMBERS)
    case 'boolean':
      return random.chance(0.8)
    case 'array':
      return Array.from({ length: random.int(0, 3) }, () =>
        sample((s.items as Schema) ?? {}, schemas, random, cards, depth + 1),
      )
    case 'object': {
      const required = (s.required as string[]) ?? []
      const properties = Object.entries((s.properties as Record<string, Schema>) ?? {})
      const entries: [string, Json][] = properties
        .filter(([name]) => required.includes(name) || random.chance(0.6))
        .map(([name, prop]) => [
          name,
          depth > 4 ? null : sample(prop, schemas, random, cards, depth + 1),
        ])
      if (random.chance(0.15)) entries.push([hostileString(random, cards), 1])
      return new Entries(entries)
    }
    default:
      return hostileValue(random, cards)
  }
}

/** A value no schema of this type accepts. */
function wrongType(schema: Schema, random: Random): Json {
  switch (typeOf(schema)) {
    case 'string':
      return random.pick<Json>([123, true, [], new Entries([]), 1.5])
    case 'integer':
    case 'number':
      return random.pick<Json>(['12', true, [], new Entries([]), 1.5, new Raw('1e400')])
    case 'boolean':
      return random.pick<Json>(['true', 1, [], new Entries([])])
    case 'array':
      return random.pick<Json>(['[]', 1, new Entries([])])
    default:
      return random.pick<Json>(['x', 1, [], true])
  }
}

/**
 * A body the route must refuse whatever else it ignores: not JSON, the wrong kind of JSON, a
 * field of the wrong type, or too big to read. The fuzzer sends only these when its
 * credentials and ids are real, so it never changes what is stored.
 */
export function refusedBody(
  schema: Schema,
  schemas: Record<string, Schema>,
  random: Random,
  cards: string[],
): string {
  const s = resolve(schema, schemas)
  const valid = encode(sample(s, schemas, random, cards))
  switch (random.int(0, 7)) {
    case 0:
      return valid.slice(0, random.int(1, Math.max(1, valid.length - 1)))
    case 1:
      return random.pick([
        '{',
        "{'amount': 1}",
        '{"amount": 1,}',
        '{"amount": NaN}',
        '{"amount": 0x10}',
        '\ufeff[]',
        'undefined',
        '{"a":1}{"b":2}',
      ])
    case 2:
      return encode(random.pick<Json>([[], 'text', 42, null, true, [new Entries([])]]))
    case 3: {
      const depth = random.pick([64, 1000, 20_000])
      return `${'['.repeat(depth)}${']'.repeat(depth)}`
    }
    case 4:
      return `{"pad":"${'x'.repeat(64 * 1024 + random.int(1, 4096))}"}`
    default: {
      const properties = Object.entries((s.properties as Record<string, Schema>) ?? {})
      if (properties.length === 0) return '[]'
      const [name, prop] = random.pick(properties)
      const base = sample(s, schemas, random, cards)
      const others = base instanceof Entries ? base.entries.filter(([k]) => k !== name) : []
      const bad = wrongType(resolve(prop, schemas), random)
      return encode(new Entries([...others, [name, bad]]))
    }
  }
}
