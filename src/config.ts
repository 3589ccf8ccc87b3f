import { base64url } from 'jose'
import { z } from 'zod'
import type { Keyring } from './crypto/vault.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolMax: number }
  | { kind: 'pglite'; dataDir: string }

/**
 * The sandbox that test mode pays through. Without a base URL, the Node entry runs one inside
 * the process on a loopback port; with one, Cashout talks to a standalone sandbox.
 */
export interface SandboxRailConfig {
  baseUrl: string | undefined
  appId: string
  secretKey: string
  timeScale: number
}

/** Hello Clever itself, which live mode pays through (RAIL=hello-clever). */
export interface LiveRailConfig {
  baseUrl: string
  appId: string
  secretKey: string
}

/** Which of Hello Clever's payout APIs carries payouts: one withdrawal each, or v1 batches. */
export type HelloCleverApi = 'withdraw' | 'payouts_v1'

export interface Config {
  port: number
  /** Where the Node server listens: loopback when embedded, every interface with Postgres. */
  host: string
  publicUrl: string
  database: DatabaseConfig
  dataDir: string
  /** From ENCRYPTION_KEYS and HMAC_KEY; absent in the embedded default, which keeps a key file. */
  keys: Keyring | undefined
  operatorToken: string | undefined
  /** The operator's registration token: needed to register unless registration is open. */
  registrationToken: string | undefined
  /** Whether anyone may register (at a limited rate per address) without the token. */
  registrationOpen: boolean
  /** Test events, replays and endpoint changes one provider may ask for in 10 minutes. */
  webhookSendBudget: number
  /** Whether provider endpoints may be plain-http loopback addresses (local receivers). */
  allowLoopbackEndpoints: boolean
  sweepIntervalMs: number
  /** Test mode: always the sandbox. */
  testRail: SandboxRailConfig
  /** Live mode: Hello Clever, or undefined where live keys are refused (RAIL=sandbox). */
  liveRail: LiveRailConfig | undefined
  helloCleverApi: HelloCleverApi
  railTimeoutMs: number
  /** How long an accepted payout may go without a callback before the operator is alerted. */
  confirmationAlertMs: number
  /** Where the rail sends its callbacks; PUBLIC_URL unless the rail reaches us another way. */
  callbackBaseUrl: string
  /** How many payouts a claim may try (a customer can fix a rejected account) before it fails. */
  payoutAttempts: number
  /** The time zone claim pages show times in. */
  displayTimeZone: string
  /** Where rate limits read the client's address: the socket, or a trusted proxy's header. */
  clientIpSource: 'socket' | 'forwarded' | 'cloudflare'
  /** Whether start-up readies a funded demo provider and prints its key (embedded default). */
  demo: boolean
  logLevel: LogLevel
  shutdownGraceMs: number
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `must be between ${min} and ${max}`)
        .max(max, `must be between ${min} and ${max}`),
    )

const boolean = z.enum(['true', 'false'], { error: 'must be true or false' })

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .transform((u) => u.replace(/\/+$/, ''))

const HELLO_CLEVER_URL = 'https://api.cleverhub.co/api'

const KEY_HINT = 'generate one with: openssl rand -base64 32 | tr "+/" "-_" | tr -d "="'

const key32 = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, `must be 32 bytes in base64url (${KEY_HINT})`)
  .transform((text) => base64url.decode(text))

const encryptionKeys = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9._-]{1,32}:[A-Za-z0-9_-]{43}$/,
            `each entry must be <key id>:<32 bytes in base64url> (${KEY_HINT})`,
          )
          .transform((entry) => {
            const [kid = '', key = ''] = entry.split(':')
            return { kid, key: base64url.decode(key) }
          }),
      )
      .min(1),
  )

const envSchema = z.object({
  PORT: integer(1, 65535).default(8080),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_POOL_MAX: integer(1, 1000).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  ENCRYPTION_KEYS: encryptionKeys.optional(),
  HMAC_KEY: key32.optional(),
  OPERATOR_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters (use a random value)')
    .optional(),
  REGISTRATION_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (use a random value)')
    .optional(),
  REGISTRATION_OPEN: boolean.optional(),
  WEBHOOK_SEND_BUDGET: integer(1, 100_000).default(20),
  ALLOW_LOOPBACK_ENDPOINTS: boolean.optional(),
  SWEEP_INTERVAL_MS: integer(1000, 3_600_000).default(30_000),
  RAIL: z
    .enum(['sandbox', 'hello-clever'], { error: 'must be sandbox or hello-clever' })
    .optional(),
  HELLO_CLEVER_API: z
    .enum(['withdraw', 'payouts_v1'], { error: 'must be withdraw or payouts_v1' })
    .default('withdraw'),
  HELLO_CLEVER_BASE_URL: httpUrl.optional(),
  HELLO_CLEVER_APP_ID: z.string().min(1).max(200).optional(),
  HELLO_CLEVER_SECRET_KEY: z.string().min(1).max(500).optional(),
  SANDBOX_URL: httpUrl.optional(),
  SANDBOX_APP_ID: z.string().min(1).max(200).default('sandbox-app-id'),
  SANDBOX_SECRET_KEY: z.string().min(1).max(500).default('sandbox-secret-key'),
  RAIL_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  RAIL_CONFIRMATION_ALERT_MINUTES: integer(1, 1440).default(20),
  CALLBACK_BASE_URL: httpUrl.optional(),
  SANDBOX_TIME_SCALE: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a positive number')
    .transform(Number)
    .pipe(z.number().positive('must be a positive number').max(1000))
    .default(1),
  PAYOUT_ATTEMPTS: integer(1, 10).default(3),
  DISPLAY_TIME_ZONE: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-AU', { timeZone: zone })
        return true
      } catch {
        return false
      }
    }, 'must be an IANA time zone such as Australia/Sydney')
    .default('Australia/Sydney'),
  TRUST_PROXY: boolean.optional(),
  DEMO: boolean.optional(),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'], {
      error: 'must be one of debug, info, warn, error, silent',
    })
    .default('info'),
  SHUTDOWN_GRACE_MS: integer(0, 60_000).default(4000),
})

/**
 * Builds the configuration from an environment-like record. Pure: the Node entry passes
 * `process.env`, the Workers entry its bindings. Empty strings count as unset, so
 * `DATABASE_URL=` behaves like an absent variable rather than an invalid one.
 */
export function parseConfig(record: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined && value.trim() !== ''),
  )
  const parsed = envSchema.safeParse(present)
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
  if (parsed.success) problems.push(...crossFieldProblems(parsed.data))
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems)

  const env = parsed.data
  const embedded = env.DATABASE_URL === undefined
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`
  const allowLoopbackEndpoints = loopbackAllowed(env)
  return {
    port: env.PORT,
    host: listenHost(env),
    publicUrl,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: env.DATA_DIR },
    dataDir: env.DATA_DIR,
    keys:
      env.ENCRYPTION_KEYS && env.HMAC_KEY
        ? { encryption: env.ENCRYPTION_KEYS, hmac: env.HMAC_KEY }
        : undefined,
    operatorToken: env.OPERATOR_TOKEN,
    registrationToken: env.REGISTRATION_TOKEN,
    registrationOpen: registrationOpen(env),
    webhookSendBudget: env.WEBHOOK_SEND_BUDGET,
    allowLoopbackEndpoints,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    testRail: {
      baseUrl: env.SANDBOX_URL,
      appId: env.SANDBOX_APP_ID,
      secretKey: env.SANDBOX_SECRET_KEY,
      timeScale: env.SANDBOX_TIME_SCALE,
    },
    liveRail:
      env.RAIL === 'hello-clever'
        ? {
            baseUrl: env.HELLO_CLEVER_BASE_URL ?? HELLO_CLEVER_URL,
            appId: env.HELLO_CLEVER_APP_ID ?? '',
            secretKey: env.HELLO_CLEVER_SECRET_KEY ?? '',
          }
        : undefined,
    helloCleverApi: env.HELLO_CLEVER_API,
    railTimeoutMs: env.RAIL_TIMEOUT_MS,
    confirmationAlertMs: env.RAIL_CONFIRMATION_ALERT_MINUTES * 60_000,
    callbackBaseUrl: env.CALLBACK_BASE_URL ?? publicUrl,
    payoutAttempts: env.PAYOUT_ATTEMPTS,
    displayTimeZone: env.DISPLAY_TIME_ZONE,
    clientIpSource: env.TRUST_PROXY === 'true' ? 'forwarded' : 'socket',
    demo: env.DEMO
      ? env.DEMO === 'true'
      : embedded && allowLoopbackEndpoints && env.RAIL !== 'hello-clever',

    logLevel: env.LOG_LEVEL,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  }
}

/**
 * Registration is open by default only in the embedded default (a local install) without a
 * token; REGISTRATION_OPEN=true opens it anywhere, on purpose.
 */
function registrationOpen(env: z.infer<typeof envSchema>): boolean {
  return env.REGISTRATION_OPEN
    ? env.REGISTRATION_OPEN === 'true'
    : env.DATABASE_URL === undefined && env.REGISTRATION_TOKEN === undefined
}

/**
 * The embedded default is a local install: it listens on loopback unless HOST exposes it. A
 * shared deployment listens everywhere, as a container or a proxy expects.
 */
function listenHost(env: z.infer<typeof envSchema>): string {
  return env.HOST ?? (env.DATABASE_URL === undefined ? '127.0.0.1' : '0.0.0.0')
}

/**
 * Loopback endpoints (local receivers) are allowed by default only when embedded and listening
 * on loopback: reachable from the network, they would let anyone map this machine's local
 * ports through delivery status and timing.
 */
function loopbackAllowed(env: z.infer<typeof envSchema>): boolean {
  return env.ALLOW_LOOPBACK_ENDPOINTS
    ? env.ALLOW_LOOPBACK_ENDPOINTS === 'true'
    : env.DATABASE_URL === undefined && isLoopbackHost(listenHost(env))
}

/**
 * HOST set to an address beyond loopback. An unset HOST with Postgres is not one: a Worker has
 * no HOST, and local rehearsals ask for loopback endpoints there on purpose.
 */
function exposedHost(env: z.infer<typeof envSchema>): string | undefined {
  return env.HOST !== undefined && !isLoopbackHost(env.HOST) ? env.HOST : undefined
}

function crossFieldProblems(env: z.infer<typeof envSchema>): string[] {
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
function registrationProblems(env: z.infer<typeof envSchema>): string[] {
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
function railProblems(env: z.infer<typeof envSchema>): string[] {
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
