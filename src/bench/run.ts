import { cpus } from 'node:os'
import { build } from 'esbuild'
import { base64url } from 'jose'
import { randomBytes } from '../crypto/bytes.ts'
import { apiClient, benchProvider } from './api.ts'
import { benchEmbedded } from './embedded.ts'
import { endToEnd, pool, settledReceiver } from './end-to-end.ts'
import { type LoadOptions, type LoadResult, measureRoute } from './load.ts'
import { createBenchDatabase } from './postgres.ts'
import { freePort, runMigrations, type Service, startCommand, startService } from './processes.ts'
import type { BenchResults } from './report.ts'
import { benchSettlementLocks } from './settlement-locks.ts'
import { benchWebhookIsolation } from './webhook-isolation.ts'
import { benchWorkers } from './workers.ts'

export interface BenchOptions {
  adminUrl: string
  connections: number
  seconds: number
  warmupSeconds: number
  claims: number
  /** Extra Node flags for the Cashout process, to try a setting or take a profile. */
  nodeFlags?: string[]
  /** The environment tools that need one (wrangler) run in, from the entry. */
  env: Record<string, string | undefined>
  progress: (line: string) => void
}

const key = () => base64url.encode(randomBytes(32))
const SANDBOX_HEADERS = { 'app-id': 'sandbox-app-id', 'secret-key': 'sandbox-secret-key' }
const WITHDRAW = 'POST /api/v2/cashbacks/withdraw'
const BATCH = 'POST /api/v1/payouts'

/**
 * Starts Postgres-backed Cashout, the standalone sandbox and the baseline server, loads each
 * route with the same generator, then cashes out `claims` claims end to end; last, the embedded
 * default (PGlite) on the same two Cashout routes.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const { progress } = options
  const database = await createBenchDatabase(options.adminUrl)
  const services: Service[] = []
  try {
    const secrets = {
      ENCRYPTION_KEYS: `bench:${key()}`,
      HMAC_KEY: key(),
      OPERATOR_TOKEN: key(),
      // Not a secret, but every process here reads it: the bench registers its few providers
      // itself, within the per-address limit of open registration.
      REGISTRATION_OPEN: 'true',
    }
    progress(`database ${database.url.replace(/\/\/[^@]*@/, '//')} (${database.version})`)
    await runMigrations(database.url, secrets)

    const sandboxPort = await freePort()
    services.push(
      await startService({
        script: ['dist/bin/sandbox.mjs'],
        port: sandboxPort,
        env: {
          SANDBOX_PORT: String(sandboxPort),
          SANDBOX_TIME_SCALE: '0.001',
          SANDBOX_BALANCE_MINOR: String(Number.MAX_SAFE_INTEGER),
          LOG_LEVEL: 'warn',
        },
        readyPath: '/sandbox/magic',
        readyHeaders: SANDBOX_HEADERS,
      }),
    )
    const baselinePort = await freePort()
    const baseline = await startService({
      script: [await buildBaseline()],
      port: baselinePort,
      env: { DATABASE_URL: database.url, PORT: String(baselinePort), DATABASE_POOL_MAX: '10' },
      readyPath: '/readyz',
    })
    services.push(baseline)

    const cashoutPort = await freePort()
    const cashoutEnv = {
      ...secrets,
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: '10',
      PORT: String(cashoutPort),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${cashoutPort}`,
      RAIL: 'sandbox',
      SANDBOX_URL: `http://127.0.0.1:${sandboxPort}/api`,
      ALLOW_LOOPBACK_ENDPOINTS: 'true',
      TRUST_PROXY: 'true',
      // The webhook isolation run queues 50 test events, past the default budget of 20.
      WEBHOOK_SEND_BUDGET: '1000',
      LOG_LEVEL: 'warn',
    }
    const starts: number[] = []
    let cashout: Service | undefined
    for (let i = 0; i < 3; i++) {
      await cashout?.stop()
      cashout = await startService({
        script: [...(options.nodeFlags ?? []), ...startCommand()],
        port: cashoutPort,
        env: cashoutEnv,
        readyPath: '/readyz',
      })
      starts.push(cashout.readyMs)
    }
    if (!cashout) throw new Error('unreachable')
    services.push(cashout)
    const startMs = [...starts].sort((a, b) => a - b)[1] ?? 0
    progress(`Cashout ready in ${starts.map((ms) => ms.toFixed(0)).join(', ')} ms`)

    const api = apiClient(cashout.url)
    const provider = await benchProvider(cashout.url, secrets.OPERATOR_TOKEN)
    const apiKey = String(provider.api_key)

    const measure = (name: string, route: Omit<LoadOptions, 'connections' | 'seconds'>) =>
      measureRoute(name, route, {
        ...options,
        note: () => `Cashout peak RSS so far ${cashout.peakRssMb().toFixed(0)} MB`,
      })
    const json = { 'Content-Type': 'application/json' }
    const baselineA = await measure('baseline A', { url: `${baseline.url}/a` })
    const baselineB = await measure('baseline B', {
      url: `${baseline.url}/b`,
      method: 'POST',
      headers: json,
      vary: (n) => ({ body: JSON.stringify({ amount: 100, id: `b-${n}` }) }),
    })
    const run = Date.now().toString(36)
    const generate = await measure('generate', {
      url: `${cashout.url}/cashout/generate/bench`,
      method: 'POST',
      headers: { ...json, Authorization: `Bearer ${apiKey}` },
      vary: (n) => ({ body: JSON.stringify({ amount: 100, id: `g-${run}-${n}` }) }),
    })
    const shown = await api('POST', '/cashout/generate/bench', apiKey, { amount: 2500, id: 'page' })
    const page = await measure('claim page', {
      url: String(shown.url),
      vary: (n) => ({
        headers: { 'X-Forwarded-For': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
      }),
    })

    const healthz = await measure('healthz', { url: `${cashout.url}/healthz` })
    const readyz = await measure('readyz', { url: `${cashout.url}/readyz` })

    const receiver = await settledReceiver(String(provider.webhook_secret))
    await api('POST', '/cashout/profile', apiKey, { endpoint: receiver.url })
    const railRequests = async () => {
      const res = await fetch(`http://127.0.0.1:${sandboxPort}/sandbox/state`, {
        headers: SANDBOX_HEADERS,
      })
      const state = (await res.json()) as { requests: Record<string, number> }
      return (state.requests[WITHDRAW] ?? 0) + (state.requests[BATCH] ?? 0)
    }
    /** Generates `claims` claims, then times them from submit to every verified settlement. */
    const cashOut = async (label: string, service: Service) => {
      progress(`end to end (${label}): generating ${options.claims} claims`)
      const claimIds: string[] = []
      const ids = Array.from({ length: options.claims }, (_, i) => `e-${label}-${run}-${i}`)
      await pool(ids, 50, async (id) => {
        const claim = await api('POST', '/cashout/generate/bench', apiKey, { amount: 500, id })
        claimIds.push(String(claim.uuid))
      })
      progress(`end to end (${label}): submitting ${options.claims} claims`)
      const before = await railRequests()
      const result = await endToEnd({
        cashoutUrl: service.url,
        apiKey,
        claimIds,
        receiver,
        concurrency: 50,
        timeoutMs: 300_000,
      })
      const e2e = { ...result, railRequests: (await railRequests()) - before }
      progress(
        `end to end (${label}): ${e2e.claimsPerSecond.toFixed(0)} claims/s (all submitted after ${e2e.submittedSeconds.toFixed(1)} s of ${e2e.seconds.toFixed(1)} s), ${e2e.railRequests} rail requests; Cashout peak RSS ${service.peakRssMb().toFixed(0)} MB`,
      )
      return e2e
    }
    const e2e = await cashOut('withdraw', cashout)
    // Read while the process lives: its peak is read from /proc.
    const withdrawPeakMb = cashout.peakRssMb()
    // The same service, paying through v1 batches: one rail request carries many payouts.
    await cashout.stop()
    services.splice(services.indexOf(cashout), 1)
    const batching = await startService({
      script: [...(options.nodeFlags ?? []), ...startCommand()],
      port: cashoutPort,
      env: { ...cashoutEnv, HELLO_CLEVER_API: 'payouts_v1' },
      readyPath: '/readyz',
    })
    services.push(batching)
    const e2eBatches = await cashOut('payouts_v1', batching)
    // Another provider's webhook, timed with and without an endpoint that never answers.
    const webhookIsolation = await benchWebhookIsolation({
      cashoutUrl: batching.url,
      operatorToken: secrets.OPERATOR_TOKEN,
      run,
      progress,
    })
    await receiver.close()
    const batchingPeakMb = batching.peakRssMb()

    // The embedded default and Workers get the machine to themselves: Node's Cashout stops first.
    await batching.stop()
    services.splice(services.indexOf(batching), 1)
    const workers = await benchWorkers({
      ...options,
      databaseUrl: database.url,
      secrets,
      sandboxUrl: `http://127.0.0.1:${sandboxPort}/api`,
    })
    const embedded = await benchEmbedded({
      command: [...(options.nodeFlags ?? []), ...startCommand()],
      connections: options.connections,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      progress,
    })
    // Settlements of many providers at once, on a database of their own: a shared platform row
    // against rows per provider.
    const settlementLocks = await benchSettlementLocks({
      adminUrl: options.adminUrl,
      providers: 20,
      settlementsPerProvider: Math.min(50, Math.max(10, Math.round(options.seconds * 5))),
      progress,
    })

    return {
      when: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.versions.node, postgres: database.version },
      connections: options.connections,
      seconds: options.seconds,
      load: { baselineA, baselineB, generate, page, healthz, readyz },
      workers,
      endToEnd: e2e,
      endToEndBatches: e2eBatches,
      peakRssMb: Math.max(withdrawPeakMb, batchingPeakMb),
      startMs,
      embedded,
      settlementLocks,
      webhookIsolation,
    }
  } finally {
    for (const service of services.reverse()) await service.stop()
    await database.drop()
  }
}

/** The baseline server, bundled like Cashout is, so neither pays for a TypeScript loader. */
async function buildBaseline(): Promise<string> {
  const outfile = 'dist/bench/baseline-server.mjs'
  await build({
    entryPoints: ['src/bin/bench-baseline.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  })
  return outfile
}

export type { LoadResult }
