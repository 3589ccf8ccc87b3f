import type { App } from '../../src/app.ts'
import { OPERATOR_TOKEN } from './app.ts'

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
export type Loose = any

export interface Reply {
  status: number
  body: Loose
  headers: Headers
}

export interface CallOptions {
  key?: string
  body?: unknown
  raw?: string
  headers?: Record<string, string>
  /** The caller's address, as the socket reports it (unknown when not given). */
  address?: string
}

/** One HTTP call through the app's front door, JSON in and out. */
export async function call(
  app: App,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.key) headers.Authorization = `Bearer ${options.key}`
  let body: string | undefined
  if (options.raw !== undefined) body = options.raw
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json'
  }
  const env = options.address
    ? { incoming: { socket: { remoteAddress: options.address } } }
    : undefined
  const res = await app.request(path, { method, headers, body }, env)
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers }
}

export const VALID_PAN = '4111111111111111'
export const VALID_PAN_19 = '6392110000000000002'
export const IPIN = '7391'

let counter = 0

export function uniqueName(prefix = 'prov'): string {
  counter += 1
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    name: uniqueName(),
    pan: VALID_PAN,
    expDate: '2912',
    ipin: IPIN,
    consent: true,
    endpoint: 'https://hooks.example.com/cashout',
    ...overrides,
  }
}

let addresses = 0

/**
 * A new address (in 198.18.0.0/15, set aside for tests) for each provider a test registers,
 * as providers register from their own networks: open registration takes only a few from one
 * address (test/providers/registration-limit.test.ts holds that limit).
 */
function nextAddress(): string {
  addresses += 1
  return `198.${18 + ((addresses >> 16) & 1)}.${(addresses >> 8) & 255}.${addresses & 255}`
}

export interface TestProvider {
  name: string
  /** The test key (`ck_test_…`). */
  key: string
  keyId: string
  /** The live key, where the app has a live rail. */
  liveKey: string | null
  webhookSecret: string
  /** The one-time link that makes the first console owner. */
  consoleSetupUrl: string
}

export async function registerProvider(
  app: App,
  overrides: Record<string, unknown> = {},
): Promise<TestProvider> {
  const reply = await call(app, 'POST', '/cashout/register', {
    body: registration(overrides),
    address: nextAddress(),
  })
  if (reply.status !== 200) throw new Error(`register failed: ${JSON.stringify(reply.body)}`)
  return {
    name: reply.body.name,
    key: reply.body.api_key,
    keyId: reply.body.api_key_id,
    liveKey: reply.body.live_api_key ?? null,
    webhookSecret: reply.body.webhook_secret,
    consoleSetupUrl: reply.body.console_setup_url,
  }
}

export async function credit(
  app: App,
  name: string,
  amountMinor: number,
  reference?: string,
  livemode = false,
) {
  const reply = await call(app, 'POST', `/operator/providers/${name}/credit`, {
    key: OPERATOR_TOKEN,
    body: {
      livemode,
      amount_minor: amountMinor,
      reference: reference ?? `ref-${Math.random()}`,
    },
  })
  if (reply.status !== 200) throw new Error(`credit failed: ${JSON.stringify(reply.body)}`)
  return reply.body
}

/** A registered provider with a funded test float (and live float, with `live`). */
export async function fundedProvider(app: App, amountMinor = 1_000_000, live = false) {
  const provider = await registerProvider(app)
  await credit(app, provider.name, amountMinor)
  if (live) await credit(app, provider.name, amountMinor, undefined, true)
  return provider
}

/** The same provider acting with its live key. */
export function liveOf(provider: TestProvider): TestProvider {
  if (!provider.liveKey)
    throw new Error(`${provider.name} has no live key: the app has no live rail`)
  return { ...provider, key: provider.liveKey }
}

export async function generate(app: App, provider: TestProvider, body: Record<string, unknown>) {
  return call(app, 'POST', `/cashout/generate/${provider.name}`, { key: provider.key, body })
}

export async function balance(app: App, provider: TestProvider) {
  return (await call(app, 'GET', '/cashout/balance', { key: provider.key })).body
}

export function expectError(reply: Reply, status: number, code: string) {
  if (reply.status !== status || reply.body?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${reply.status} ${JSON.stringify(reply.body)}`)
  }
  const keys = Object.keys(reply.body)
  for (const key of ['message', 'code', 'request_id']) {
    if (!keys.includes(key))
      throw new Error(`error body lacks ${key}: ${JSON.stringify(reply.body)}`)
  }
}
