import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchProvider } from './api.ts'
import { type LoadResult, type MeasureOptions, measureRoute } from './load.ts'
import { freePort } from './processes.ts'
import { startWorkerDev } from './wrangler.ts'

export interface WorkersResults {
  healthz: LoadResult
  /** One `select 1` on the request's own connection: what a fresh session costs. */
  readyz?: LoadResult
  generate: LoadResult
  /** Spawn to the first 200 from /healthz. */
  readyMs: number
}

/**
 * The same product in workerd (`wrangler dev`, local mode: one workerd process, Hyperdrive
 * connecting straight to the benchmark's Postgres) on /healthz and generate. Local mode has no
 * Hyperdrive pool in between, so each request's connection is a fresh Postgres session.
 */
export async function benchWorkers(
  options: MeasureOptions & {
    databaseUrl: string
    secrets: Record<string, string>
    sandboxUrl: string
    /** The environment wrangler runs in (PATH, HOME), from the entry. */
    env: Record<string, string | undefined>
  },
): Promise<WorkersResults> {
  const port = await freePort()
  const persist = mkdtempSync(join(tmpdir(), 'cashout-bench-wrangler-'))
  const started = performance.now()
  const worker = await startWorkerDev({
    port,
    databaseUrl: options.databaseUrl,
    persistTo: persist,
    env: options.env,
    vars: {
      ...options.secrets,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      RAIL: 'sandbox',
      SANDBOX_URL: options.sandboxUrl,
      ALLOW_LOOPBACK_ENDPOINTS: 'true',
      LOG_LEVEL: 'warn',
    },
  })
  const readyMs = performance.now() - started
  try {
    options.progress(`Workers (wrangler dev): ready in ${readyMs.toFixed(0)} ms`)
    const provider = await benchProvider(
      worker.url,
      String(options.secrets.OPERATOR_TOKEN),
      'bench-workers',
    )
    const healthz = await measureRoute('Workers healthz', { url: `${worker.url}/healthz` }, options)
    const readyz = await measureRoute('Workers readyz', { url: `${worker.url}/readyz` }, options)
    const run = Date.now().toString(36)
    const generate = await measureRoute(
      'Workers generate',
      {
        url: `${worker.url}/cashout/generate/bench-workers`,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${provider.api_key}`,
        },
        vary: (n) => ({ body: JSON.stringify({ amount: 100, id: `w-${run}-${n}` }) }),
      },
      options,
    )
    return { healthz, readyz, generate, readyMs }
  } finally {
    await worker.stop()
    rmSync(persist, { recursive: true, force: true })
  }
}
