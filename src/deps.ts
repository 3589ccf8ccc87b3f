import type { StatementGroups } from './claims/groups.ts'
import type { Clock } from './clock.ts'
import type { Config } from './config.ts'
import type { Vault } from './crypto/vault.ts'
import type { Db } from './db/schema.ts'
import type { Logger } from './log/logger.ts'
import type { RateLimiter } from './page/rate-limit.ts'
import type { Rails } from './payouts/rail/circuit.ts'
import type { ProviderCache } from './providers/cache.ts'
import type { WebhookTransport } from './webhooks/transport.ts'

/** Everything the app needs from outside, built once by an entry point and passed in. */
export interface AppDeps {
  config: Config
  db: Db
  clock: Clock
  logger: Logger
  vault: Vault
  /** Test mode's rail (the sandbox) and live mode's (Hello Clever, where configured). */
  rails: Rails
  /** Limits requests to the claim page; in memory per process by default. */
  limiter: RateLimiter
  /** Sends webhooks; the Node transport checks and pins the address it connects to. */
  webhooks: WebhookTransport
  /** API keys and claim contexts for a few seconds, per process (see providers/cache.ts). */
  cache: ProviderCache
  /** Nudges the webhook worker after events are written. */
  wakeWebhooks?: () => void
  /** Nudges the payout worker after a submit, so the rail is called without waiting a tick. */
  wakePayouts?: () => void
  /** Generates, submits and settlements arriving together, written together (per process). */
  groups?: StatementGroups
  /** True once shutdown has begun: readiness fails so load balancers stop sending traffic. */
  isDraining?: () => boolean
}
