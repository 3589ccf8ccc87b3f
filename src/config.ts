import { base64url } from 'jose'
import { z } from 'zod'
import type { Keyring } from './crypto/vault.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolMax: number }
  | { kind: 'pglite'; dataDir: string }

/**
 * Where payouts go. `sandbox` without a base URL runs the Hello Clever sandbox inside this
 * process on a loopback port; with one, it talks to a standalone sandbox (`npm run sandbox`).
 */
export type RailConfig =
  | {
      kind: 'sandbox'
      baseUrl: string | undefined
      appId: string
      secretKey: string
      timeScale: number
    }
  | { kind: 'hello-clever'; baseUrl: string; appId: string; secretKey: string }

export interface Config {
  port: number
  host: string
  publicUrl: string
  database: DatabaseConfig
  dataDir: string
  /** From ENCRYPTION_KEYS and HMAC_KEY; absent in the embedded default, which keeps a key file. */
  keys: Keyring | undefined
  operatorToken: string | undefined
  registrationToken: string | undefined
  /** Whether provider endpoints may be plain-http loopback addresses (local receivers). */
  allowLoopbackEndpoints: boolean
  sweepIntervalMs: number
  rail: RailConfig
  railTimeoutMs: number
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
  HOST: z.string().min(1).default('0.0.0.0'),
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
  ALLOW_LOOPBACK_ENDPOINTS: boolean.optional(),
  SWEEP_INTERVAL_MS: integer(1000, 3_600_000).default(30_000),
  RAIL: z
    .enum(['sandbox', 'hello-clever'], { error: 'must be sandbox or hello-clever' })
    .default('sandbox'),
  HELLO_CLEVER_BASE_URL: httpUrl.optional(),
  HELLO_CLEVER_APP_ID: z.string().min(1).max(200).optional(),
  HELLO_CLEVER_SECRET_KEY: z.string().min(1).max(500).optional(),
  RAIL_TIMEOUT_MS: integer(100, 120_000).default(10_000),
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
    host: env.HOST,
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
    allowLoopbackEndpoints,
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    rail:
      env.RAIL === 'hello-clever'
        ? {
            kind: 'hello-clever',
            baseUrl: env.HELLO_CLEVER_BASE_URL ?? 'https://api.cleverhub.co/api',
            appId: env.HELLO_CLEVER_APP_ID ?? '',
            secretKey: env.HELLO_CLEVER_SECRET_KEY ?? '',
          }
        : {
            kind: 'sandbox',
            baseUrl: env.HELLO_CLEVER_BASE_URL,
            appId: env.HELLO_CLEVER_APP_ID ?? 'sandbox-app-id',
            secretKey: env.HELLO_CLEVER_SECRET_KEY ?? 'sandbox-secret-key',
            timeScale: env.SANDBOX_TIME_SCALE,
          },
    railTimeoutMs: env.RAIL_TIMEOUT_MS,
    callbackBaseUrl: env.CALLBACK_BASE_URL ?? publicUrl,
    payoutAttempts: env.PAYOUT_ATTEMPTS,
    displayTimeZone: env.DISPLAY_TIME_ZONE,
    clientIpSource: env.TRUST_PROXY === 'true' ? 'forwarded' : 'socket',
    demo: env.DEMO
      ? env.DEMO === 'true'
      : embedded && allowLoopbackEndpoints && env.RAIL === 'sandbox',

    logLevel: env.LOG_LEVEL,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  }
}

/** Loopback endpoints are allowed when embedded (local receivers), refused otherwise. */
function loopbackAllowed(env: z.infer<typeof envSchema>): boolean {
  return env.ALLOW_LOOPBACK_ENDPOINTS
    ? env.ALLOW_LOOPBACK_ENDPOINTS === 'true'
    : env.DATABASE_URL === undefined
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
  if (env.RAIL === 'hello-clever' && (!env.HELLO_CLEVER_APP_ID || !env.HELLO_CLEVER_SECRET_KEY)) {
    problems.push(
      'HELLO_CLEVER_APP_ID and HELLO_CLEVER_SECRET_KEY: required when RAIL is hello-clever',
    )
  }
  if (env.DEMO === 'true' && !loopbackAllowed(env)) {
    problems.push(
      'DEMO: needs ALLOW_LOOPBACK_ENDPOINTS=true, since the demo provider’s webhooks go to a local receiver',
    )
  }
  const kids = env.ENCRYPTION_KEYS?.map((k) => k.kid) ?? []
  if (new Set(kids).size !== kids.length) problems.push('ENCRYPTION_KEYS: key ids must be unique')
  return problems
}
