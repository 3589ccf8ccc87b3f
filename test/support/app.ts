import { createApp } from '../../src/app.ts'
import { statementGroups } from '../../src/claims/groups.ts'
import { type Clock, manualClock } from '../../src/clock.ts'
import { parseConfig } from '../../src/config.ts'
import { createVault, type Keyring } from '../../src/crypto/vault.ts'
import type { Db } from '../../src/db/schema.ts'
import type { AppDeps } from '../../src/deps.ts'
import { createLogger } from '../../src/log/logger.ts'
import { memoryRateLimiter, type RateLimiter } from '../../src/page/rate-limit.ts'
import { railChannel } from '../../src/payouts/rail/circuit.ts'
import { type PayoutRail, RailError } from '../../src/payouts/rail/rail.ts'
import { type ProviderCache, providerCache } from '../../src/providers/cache.ts'
import { nodeTransport } from '../../src/webhooks/node-transport.ts'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import type { ConformanceDocument } from './conformance.ts'
import { holdToDocument, holdWebhooksToDocument } from './conformance-hook.ts'

export interface CapturedLogs {
  lines: string[]
  entries(): Record<string, unknown>[]
}

export function captureLogger() {
  const lines: string[] = []
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) })
  const logs: CapturedLogs = {
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  }
  return { logger, logs }
}

/** Fixed keys so tests are repeatable; production keys come from the environment. */
export const testKeyring: Keyring = {
  encryption: [{ kid: 'test-1', key: new Uint8Array(32).fill(7) }],
  hmac: new Uint8Array(32).fill(9),
}

/** A deployment with a live rail (on loopback, where plain-http callbacks are allowed). */
export const LIVE_ENV = {
  RAIL: 'hello-clever',
  HELLO_CLEVER_BASE_URL: 'http://127.0.0.1:9/api',
  HELLO_CLEVER_APP_ID: 'app',
  HELLO_CLEVER_SECRET_KEY: 'secret',
}

export const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789abcdef'

/** For tests that never pay out: any call is an outage. */
const outage = async (): Promise<never> => {
  throw new RailError({ kind: 'unavailable', detail: 'no rail in this test' })
}
export const noRail: PayoutRail = { withdraw: outage, createBatch: outage }

export interface TestAppOptions {
  env?: Record<string, string>
  /** Test mode's rail (the sandbox's place). */
  rail?: PayoutRail
  /** Live mode's rail; give it with env RAIL=hello-clever and its settings. */
  liveRail?: PayoutRail
  limiter?: RateLimiter
  webhooks?: WebhookTransport
  clock?: Clock
  isDraining?: () => boolean
  /** This instance's key and rule cache (by default its own, with the real lifetime). */
  cache?: ProviderCache
}

/** The real app over a real database, with logs captured for assertions. */
/** Console password hashing in tests built here (see buildTestApp). */
export const TEST_PASSWORD_ITERATIONS = 2000

/**
 * Every app a test gets comes from here, and every response it gives is held to the OpenAPI
 * document it serves (test/support/conformance.ts): a test that provokes a response the
 * document does not declare fails at that request.
 */
export function buildTestApp(db: Db, options: TestAppOptions = {}) {
  const built = assemble(db, options)
  return { ...built, app: holdToDocument(built.app) }
}

/**
 * The document at `/openapi.json`, read once per run by global-setup for every test file's
 * conformance check. Only its `servers` depends on the configuration (the route factories take
 * no dependencies), and the check never reads `servers`; test/http/conformance.test.ts holds
 * that true, so one document serves apps of every configuration.
 */
export async function servedDocument(db: Db, env: Record<string, string> = {}) {
  const response = await assemble(db, { env }).app.request('/openapi.json')
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`)
  return (await response.json()) as ConformanceDocument
}

function assemble(db: Db, options: TestAppOptions) {
  const { logger, logs } = captureLogger()
  const clock = options.clock ?? manualClock('2026-03-01T00:00:00Z')
  const config = {
    ...parseConfig({
      PUBLIC_URL: 'http://cashout.test',
      OPERATOR_TOKEN,
      ALLOW_LOOPBACK_ENDPOINTS: 'false',
      ...options.env,
    }),
    // 600,000 PBKDF2 rounds cost a quarter of a second per sign-in; the count travels with each
    // hash, so a few thousand test the same code (password.test.ts keeps the real figure).
    passwordIterations: TEST_PASSWORD_ITERATIONS,
  }
  const deps: AppDeps = {
    config,
    db,
    clock,
    logger,
    vault: createVault(testKeyring),
    rails: {
      test: railChannel('sandbox', options.rail ?? noRail),
      live: config.liveRail ? railChannel('hello-clever', options.liveRail ?? noRail) : undefined,
    },
    limiter: options.limiter ?? memoryRateLimiter(),
    webhooks: holdWebhooksToDocument(
      options.webhooks ?? nodeTransport({ allowLoopback: config.allowLoopbackEndpoints }),
    ),
    cache: options.cache ?? providerCache(),
    isDraining: options.isDraining,
  }
  deps.groups = statementGroups(deps)
  return { app: createApp(deps), logs, deps }
}
