import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateLocalSecrets } from '../crypto/key-file.ts'
import { apiClient, benchProvider } from './api.ts'
import { type LoadOptions, type LoadResult, measureRoute } from './load.ts'
import { freePort, startService } from './processes.ts'

export interface EmbeddedResults {
  generate: LoadResult
  page: LoadResult
  /** Spawn to the first 200 from /readyz on an empty data dir, so first-start migrations count. */
  readyMs: number
  /** Cashout and its database share the process, so this is the whole footprint. */
  peakRssMb: number
}

/**
 * The embedded default (PGlite, no DATABASE_URL) in a fresh data dir, loaded on the same two
 * routes as Postgres-backed Cashout. PGlite has one session, so every statement a request makes
 * waits for all the others'.
 */
export async function benchEmbedded(options: {
  /** Node flags and entry, as `npm start` runs them. */
  command: string[]
  connections: number
  seconds: number
  warmupSeconds: number
  progress: (line: string) => void
}): Promise<EmbeddedResults> {
  const { progress } = options
  const dataDir = mkdtempSync(join(tmpdir(), 'cashout-bench-pglite-'))
  try {
    const port = await freePort()
    // Only what a local operator would set: where to listen, and the proxy header that lets
    // the load generator appear as many clients to the claim page's per-address limit.
    const cashout = await startService({
      script: options.command,
      port,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        TRUST_PROXY: 'true',
        LOG_LEVEL: 'warn',
      },
      readyPath: '/readyz',
      timeoutMs: 120_000,
    })
    try {
      progress(`embedded PGlite: ready in ${cashout.readyMs.toFixed(0)} ms (fresh data dir)`)
      // The embedded default keeps its operator token in the data dir's key file.
      const operatorToken = loadOrCreateLocalSecrets(dataDir).operatorToken
      const api = apiClient(cashout.url)
      const provider = await benchProvider(cashout.url, operatorToken)
      const apiKey = String(provider.api_key)

      const measure = (name: string, route: Omit<LoadOptions, 'connections' | 'seconds'>) =>
        measureRoute(name, route, {
          ...options,
          note: () => `peak RSS so far ${cashout.peakRssMb().toFixed(0)} MB`,
        })
      const run = Date.now().toString(36)
      const generate = await measure('embedded PGlite generate', {
        url: `${cashout.url}/cashout/generate/bench`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
        vary: (n) => ({ body: JSON.stringify({ amount: 100, id: `g-${run}-${n}` }) }),
      })
      const shown = await api('POST', '/cashout/generate/bench', apiKey, {
        amount: 2500,
        id: 'page',
      })
      const page = await measure('embedded PGlite claim page', {
        url: String(shown.url),
        vary: (n) => ({
          headers: { 'X-Forwarded-For': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
        }),
      })
      // The high-water mark is read from /proc, so only while the process lives.
      return { generate, page, readyMs: cashout.readyMs, peakRssMb: cashout.peakRssMb() }
    } finally {
      await cashout.stop()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
