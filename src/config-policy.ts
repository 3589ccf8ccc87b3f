import type { Env } from './config.ts'

/**
 * What a deployment's variables must agree on, and the defaults that depend on more than one of
 * them: each field alone is checked by the schema in `config.ts`.
 */

export const HELLO_CLEVER_URL = 'https://api.cleverhub.co/api'

/**
 * Registration is open by default only in the embedded default (a local install) without a
 * token; REGISTRATION_OPEN=true opens it anywhere, on purpose.
 */
export function registrationOpen(env: Env): boolean {
  return env.REGISTRATION_OPEN
    ? env.REGISTRATION_OPEN === 'true'
    : env.DATABASE_URL === undefined && env.REGISTRATION_TOKEN === undefined
}

/**
 * The embedded default is a local install: it listens on loopback unless HOST exposes it. So
 * does any deployment that asks for loopback webhook endpoints, which are safe only there. A
 * shared deployment listens everywhere, as a container or a proxy expects.
 */
export function listenHost(env: Env): string {
  const local = env.DATABASE_URL === undefined || env.ALLOW_LOOPBACK_ENDPOINTS === 'true'
  return env.HOST ?? (local ? '127.0.0.1' : '0.0.0.0')
}

/**
 * Loopback endpoints (local receivers) are allowed by default only when embedded and listening
 * on loopback: reachable from the network, they would let anyone map this machine's local
 * ports through delivery status and timing.
 */
export function loopbackAllowed(env: Env): boolean {
  return env.ALLOW_LOOPBACK_ENDPOINTS
    ? env.ALLOW_LOOPBACK_ENDPOINTS === 'true'
    : env.DATABASE_URL === undefined && isLoopbackHost(listenHost(env))
}

/**
 * HOST set to an address beyond loopback. An unset HOST with Postgres is not one: a Worker has
 * no HOST, and local rehearsals ask for loopback endpoints there on purpose.
 */
function exposedHost(env: Env): string | undefined {
  return env.HOST !== undefined && !isLoopbackHost(env.HOST) ? env.HOST : undefined
}

export function crossFieldProblems(env: Env): string[] {
  const problems: string[] = []
  if ((env.ENCRYPTION_KEYS === undefined) !== (env.HMAC_KEY === undefined)) {
    problems.push('ENCRYPTION_KEYS and HMAC_KEY: set both or neither')
  } else if (env.DATABASE_URL && !env.ENCRYPTION_KEYS) {
    problems.push(
      'ENCRYPTION_KEYS and HMAC_KEY: required with DATABASE_URL, so that every instance shares them (the embedded default keeps generated keys in DATA_DIR)',
    )
  }
  problems.push(...railProblems(env))
  problems.push(...registrationProblems(env))
  const exposed = exposedHost(env)
  if (env.ALLOW_LOOPBACK_ENDPOINTS === 'true' && exposed) {
    problems.push(
      `ALLOW_LOOPBACK_ENDPOINTS and HOST: loopback webhook endpoints are allowed only while listening on loopback, and HOST=${exposed} is reachable from the network, where anyone could map this machine's local ports through delivery status and timing; set HOST=127.0.0.1 (behind a proxy) or unset ALLOW_LOOPBACK_ENDPOINTS`,
    )
  } else if (env.DEMO === 'true' && !loopbackAllowed(env)) {
    problems.push(
      exposed
        ? `DEMO: needs loopback webhook endpoints (the demo provider’s webhooks go to a local receiver), which are allowed only while listening on loopback, not HOST=${exposed}`
        : 'DEMO: needs ALLOW_LOOPBACK_ENDPOINTS=true, since the demo provider’s webhooks go to a local receiver',
    )
  }
  const kids = env.ENCRYPTION_KEYS?.map((k) => k.kid) ?? []
  if (new Set(kids).size !== kids.length) problems.push('ENCRYPTION_KEYS: key ids must be unique')
  return problems
}

/**
 * Open registration on a shared deployment hands anyone an API key, and with it webhook test
 * sends, replays and endpoint checks: requests this deployment makes to addresses the stranger
 * chooses. So a shared deployment is closed by a token unless the operator opens it on purpose.
 */
function registrationProblems(env: Env): string[] {
  if (env.REGISTRATION_TOKEN !== undefined) return []
  if (env.REGISTRATION_OPEN === 'false') {
    return [
      'REGISTRATION_OPEN: false needs REGISTRATION_TOKEN, or nobody could register a provider',
    ]
  }
  if (env.DATABASE_URL && env.REGISTRATION_OPEN === undefined) {
    return [
      'REGISTRATION_TOKEN or REGISTRATION_OPEN: required with DATABASE_URL: without a token anyone can register a provider and make this deployment send outbound requests (webhook test sends, replays, endpoint checks) to addresses they choose. Set REGISTRATION_TOKEN to a random value (at least 16 characters) that providers register with, or REGISTRATION_OPEN=true to keep registration open on purpose (still limited per address)',
    ]
  }
  return []
}

/**
 * Money must never move by accident: a shared deployment says which rail it means, and a live
 * rail must be able to reach Cashout back (Hello Clever calls only TLS endpoints, per its
 * payouts document), unless the "live" rail is itself on this machine (a rehearsal).
 */
function railProblems(env: Env): string[] {
  const problems: string[] = []
  if (env.DATABASE_URL && !env.RAIL) {
    problems.push(
      'RAIL: required with DATABASE_URL: sandbox (test mode only; no money moves) or hello-clever (live keys pay through Hello Clever; test keys still pay through the sandbox)',
    )
  }
  if (env.RAIL !== 'hello-clever') {
    for (const name of [
      'HELLO_CLEVER_BASE_URL',
      'HELLO_CLEVER_APP_ID',
      'HELLO_CLEVER_SECRET_KEY',
    ] as const) {
      if (env[name] !== undefined) {
        problems.push(
          `${name}: only used with RAIL=hello-clever; test mode always pays through the sandbox (point it at a standalone one with SANDBOX_URL)`,
        )
      }
    }
    return problems
  }
  if (!env.HELLO_CLEVER_APP_ID || !env.HELLO_CLEVER_SECRET_KEY) {
    problems.push(
      'HELLO_CLEVER_APP_ID and HELLO_CLEVER_SECRET_KEY: required when RAIL is hello-clever',
    )
  }
  if (!env.PUBLIC_URL) {
    problems.push(
      'PUBLIC_URL: required when RAIL is hello-clever: claim links and payout callbacks are built from it',
    )
  }
  const callbackBase = env.CALLBACK_BASE_URL ?? env.PUBLIC_URL
  const rehearsal = isLoopbackUrl(env.HELLO_CLEVER_BASE_URL ?? HELLO_CLEVER_URL)
  if (callbackBase && !callbackBase.startsWith('https:') && !rehearsal) {
    problems.push(
      `${env.CALLBACK_BASE_URL ? 'CALLBACK_BASE_URL' : 'PUBLIC_URL'}: must be https when RAIL is hello-clever: Hello Clever sends payout callbacks only to a TLS endpoint, so ${callbackBase}/rail/… would never be called`,
    )
  }
  return problems
}

function isLoopbackUrl(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname)
}

function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' ||
    host === '::1' ||
    host === '[::1]' ||
    /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(host)
  )
}
