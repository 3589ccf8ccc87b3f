import { z } from 'zod'
import { ConfigError } from '../config.ts'

export interface SandboxConfig {
  port: number
  host: string
  appId: string
  secretKey: string
  timeScale: number
  balanceMinor: number
  stateFile: string | undefined
  /** `merchant`: withdrawals draw on the merchant balance; `cashback`: each user_id's own. */
  withdrawMode: 'merchant' | 'cashback'
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
}

const schema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  SANDBOX_APP_ID: z.string().min(1).default('sandbox-app-id'),
  SANDBOX_SECRET_KEY: z.string().min(1).default('sandbox-secret-key'),
  SANDBOX_TIME_SCALE: z.coerce.number().positive().max(1000).default(1),
  SANDBOX_BALANCE_MINOR: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(1_000_000_000),
  SANDBOX_STATE_FILE: z.string().min(1).optional(),
  SANDBOX_WITHDRAW_MODE: z.enum(['merchant', 'cashback']).default('merchant'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
})

/** The standalone sandbox's settings from an environment-like record; pure, like parseConfig. */
export function parseSandboxConfig(record: Record<string, string | undefined>): SandboxConfig {
  const present = Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined && v.trim() !== ''),
  )
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const env = parsed.data
  return {
    port: env.SANDBOX_PORT,
    host: env.SANDBOX_HOST,
    appId: env.SANDBOX_APP_ID,
    secretKey: env.SANDBOX_SECRET_KEY,
    timeScale: env.SANDBOX_TIME_SCALE,
    balanceMinor: env.SANDBOX_BALANCE_MINOR,
    stateFile: env.SANDBOX_STATE_FILE,
    withdrawMode: env.SANDBOX_WITHDRAW_MODE,
    logLevel: env.LOG_LEVEL,
  }
}
