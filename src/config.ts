import { base64url } from 'jose'
import { z } from 'zod'
import {
  crossFieldProblems,
  HELLO_CLEVER_URL,
  listenHost,
  loopbackAllowed,
  registrationOpen,
} from './config-policy.ts'
import { PBKDF2_ITERATIONS } from './console/password.ts'
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
  /**
   * PBKDF2 iterations for console passwords: OWASP's 600,000, not settable from the environment.
   * Tests that build the app themselves lower it, so they spend their time on behaviour.
   */
  passwordIterations: number
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

/** The environment after its fields parsed one by one; `config-policy.ts` judges them together. */
export type Env = z.infer<typeof envSchema>

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
    passwordIterations: PBKDF2_ITERATIONS,
  }
}
