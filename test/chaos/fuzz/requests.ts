import type { Random } from '../random.ts'
import { type Route, reach, type Schema } from './routes.ts'
import { encode, hostileString, refusedBody, sample, uri } from './values.ts'

export interface FuzzTarget {
  routes: Route[]
  schemas: Record<string, Schema>
  apiKey: string
  providerName: string
  operatorToken: string
  claimIds: string[]
  cards: string[]
}

export interface FuzzRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
  /** Sent without Content-Length, so the service must count the bytes itself. */
  chunked: boolean
  /** Whether the route is served as HTML rather than the JSON error shape. */
  page: boolean
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']
export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const SLUG = /^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/i

const uuid = (random: Random) => {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`
}

const RAW_SEGMENTS = [
  '..',
  '.',
  '%zz',
  '%00',
  '%E0%A4%A',
  '%2e%2e%2f',
  '-1',
  '0',
  '1e3',
  '%20',
  '~',
]

function paramValue(name: string, target: FuzzTarget, random: Random) {
  const roll = random.next()
  if (roll < 0.45) {
    if (name === 'name') return target.providerName
    if (name === 'uuid' && target.claimIds.length > 0) {
      const id = random.pick(target.claimIds)
      return random.pick([id, id, id.toUpperCase(), id.replaceAll('-', ''), `{${id}}`])
    }
    return uuid(random)
  }
  if (roll < 0.6) return uuid(random)
  if (roll < 0.75) return random.pick(RAW_SEGMENTS)
  if (roll < 0.8) return 'a'.repeat(random.pick([64, 300, 3000]))
  return uri(hostileString(random, target.cards))
}

function isReal(name: string, value: string, target: FuzzTarget) {
  if (name === 'name') return SLUG.test(value.trim()) || value.trim() === target.providerName
  const hex = value.toLowerCase().replace(/[^0-9a-f]/g, '')
  return target.claimIds.some((id) => id.replaceAll('-', '') === hex)
}

function query(route: Route, random: Random, cards: string[]) {
  if (!random.chance(route.query.length > 0 ? 0.5 : 0.1)) return ''
  const names = [...route.query, 'limit', 'cursor', '__proto__', 'x'.repeat(100)]
  const pairs = Array.from({ length: random.int(1, 4) }, () => {
    const value = random.chance(0.2)
      ? random.pick(['%zz', '-1', '0', '99999999999999999999', '1.5', '', '%00'])
      : uri(hostileString(random, cards))
    return `${uri(random.pick(names))}=${value}`
  })
  return `?${pairs.join('&')}`
}

type Credential = 'provider' | 'operator' | 'none'

function authorization(target: FuzzTarget, random: Random): [string | undefined, Credential] {
  const roll = random.next()
  if (roll < 0.35) return [`Bearer ${target.apiKey}`, 'provider']
  if (roll < 0.5) return [`Bearer ${target.operatorToken}`, 'operator']
  return [brokenAuthorization(target, random), 'none']
}

/** An Authorization header that can never pass: missing, malformed, or a real key with one character changed. */
function brokenAuthorization(target: FuzzTarget, random: Random): string | undefined {
  const flip = (key: string) => {
    const at = random.int(Math.floor(key.length / 2), key.length - 1)
    return `${key.slice(0, at)}${key[at] === 'A' ? 'B' : 'A'}${key.slice(at + 1)}`
  }
  return random.pick([
    undefined,
    'Bearer',
    'Bearer ',
    `Bearer ${flip(target.apiKey)}`,
    `Bearer ${flip(target.operatorToken)}`,
    `Basic ${btoa(`${target.providerName}:x`)}`,
    target.apiKey,
    `Bearer ck_${'a'.repeat(12)}_${'b'.repeat(43)}`,
    `Bearer ${'x'.repeat(4000)}`,
    `Bearer ${target.apiKey.slice(0, 20)}`,
    'Bearer ck_',
    'Bearer é',
  ])
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/json; charset=latin1',
  'application/jsonx',
  'application/problem+json',
]

function extraHeaders(random: Random, target: FuzzTarget): Record<string, string> {
  const headers: Record<string, string> = {}
  const forwarded = () =>
    random.pick([
      `198.18.${random.int(0, 255)}.${random.int(0, 255)}`,
      'unknown',
      '::1, 10.0.0.1',
      '999.1.1.1',
      ` ${'1.1.1.1,'.repeat(200)}`,
      '[2001:db8::1]:443',
      '',
    ])
  if (random.chance(0.6)) headers['X-Forwarded-For'] = forwarded()
  if (random.chance(0.1)) headers['CF-Connecting-IP'] = forwarded()
  if (random.chance(0.1)) headers['X-Request-Id'] = random.pick(['<x>', 'a'.repeat(500), 'req_1'])
  if (random.chance(0.1)) headers['Idempotency-Key'] = hostileString(random, target.cards)
  if (random.chance(0.15))
    headers.Cookie = random.pick([
      'cashout_csrf=abc; cashout_session=def',
      `cashout_csrf=${'A'.repeat(43)}`,
      'cashout_session=%zz',
      `cashout_session=${'x'.repeat(3000)}`,
      '=; ;;=',
    ])
  if (random.chance(0.1))
    headers.Origin = random.pick(['null', 'https://evil.example', 'http://127.0.0.1', ''])
  if (random.chance(0.1)) headers.Accept = random.pick(['text/html', '*/*', 'application/xml', ''])
  if (random.chance(0.05)) headers['Content-Encoding'] = random.pick(['gzip', 'br', 'identity'])
  for (const [name, value] of Object.entries(headers))
    if (!/^[\t\x20-\x7e]*$/.test(value)) headers[name] = uri(value)
  return headers
}

function formBody(random: Random, cards: string[]) {
  const fields = ['type', 'payid_type', 'payid', 'account_name', 'bsb', 'account_number', 'csrf']
  return fields
    .filter(() => random.chance(0.6))
    .map((f) => `${f}=${uri(hostileString(random, cards))}`)
    .concat(random.chance(0.2) ? ['action=change'] : [])
    .join('&')
}

/**
 * One hostile request. Whenever it carries real credentials to a route that changes things, its
 * body is one the route must refuse, or (for routes that take no body) its credentials are
 * spoiled: the fuzzer probes every door without ever walking through one.
 */
export function fuzzRequest(target: FuzzTarget, random: Random): FuzzRequest {
  const route = random.pick(target.routes)
  const method = random.chance(0.85) ? route.method : random.pick(METHODS)
  let path = route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
    paramValue(name, target, random),
  )
  if (random.chance(0.04)) path += '/'
  if (random.chance(0.03)) path = path.replace('/', '//')
  if (random.chance(0.03)) path += `/${uri(hostileString(random, target.cards))}`
  if (random.chance(0.02)) path = `/${random.pick(['admin', '.env', 'cashout', 'c', '%2e%2e'])}`
  path += query(route, random, target.cards)

  const headers = extraHeaders(random, target)
  let [auth, credential] = authorization(target, random)

  let body: string | undefined
  let contentType: string | undefined = random.pick(CONTENT_TYPES)
  if (route.page && method === 'POST') {
    body = random.chance(0.8) ? formBody(random, target.cards) : encode(sample({}, {}, random, []))
    contentType = random.chance(0.8) ? 'application/x-www-form-urlencoded' : contentType
  } else if (route.body && MUTATING.has(method)) {
    body = random.chance(0.6)
      ? encode(sample(route.body, target.schemas, random, target.cards))
      : refusedBody(route.body, target.schemas, random, target.cards)
    if (random.chance(0.8)) contentType = 'application/json'
  } else if (random.chance(0.1)) {
    body = random.chance(0.5) ? '{}' : hostileString(random, target.cards)
  } else {
    contentType = undefined
  }

  const reached = reach(target.routes, method, path)
  if (reached && MUTATING.has(reached.route.method)) {
    const r = reached.route
    const credentialed = r.auth === 'none' ? !r.page : r.auth === credential
    const realIds = Object.entries(reached.params).some(([n, v]) => isReal(n, v, target))
    const params = Object.keys(reached.params).length
    if (credentialed && r.body && (realIds || params === 0 || r.auth === 'none')) {
      body = refusedBody(r.body, target.schemas, random, target.cards)
    } else if (credentialed && !r.body && (realIds || params === 0)) {
      auth = brokenAuthorization(target, random)
      credential = 'none'
    }
  }
  if (auth !== undefined) headers.Authorization = auth
  if (contentType !== undefined) headers['Content-Type'] = contentType
  return { method, path, headers, body, chunked: random.chance(0.2), page: route.page }
}
