import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from './processes.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const wranglerBin = fileURLToPath(
  new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url),
)

export interface WorkerDev {
  url: string
  /** What wrangler and the worker printed, last 50 KB. */
  output(): string
  stop(): Promise<void>
}

/**
 * Hyperdrive's local connection string must carry a password, even where the server trusts
 * local connections and ignores it; a URL without one gets a placeholder.
 */
export function hyperdriveLocalUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl)
  if (!url.password) url.password = 'local'
  return url.toString()
}

/**
 * `wrangler dev` on loopback: the worker in workerd, Hyperdrive pointed at `databaseUrl`, `vars`
 * on top of wrangler.toml's and `.dev.vars`, offline (no metrics, no Cloudflare lookups).
 * `/__scheduled` runs the cron by hand. Resolves once `/healthz` answers.
 */
export async function startWorkerDev(options: {
  port: number
  /** Chosen free when not given. */
  inspectorPort?: number
  databaseUrl: string
  vars?: Record<string, string>
  /** Where workerd keeps local state; a temporary dir keeps runs apart. */
  persistTo?: string
  timeoutMs?: number
  /** Passes output through as it comes (the dev command shows it). */
  echo?: boolean
  /** The caller's environment for wrangler (PATH, HOME); read by the entry, passed in. */
  env: Record<string, string | undefined>
}): Promise<WorkerDev> {
  const args = [
    wranglerBin,
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--inspector-port',
    String(options.inspectorPort ?? (await freePort())),
    '--test-scheduled',
    '--show-interactive-dev-session=false',
    // `log` passes the worker's own console lines through, wrangler's chatter stays out.
    '--log-level',
    'log',
    ...(options.persistTo ? ['--persist-to', options.persistTo] : []),
    ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ]
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...options.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: hyperdriveLocalUrl(
        options.databaseUrl,
      ),
      CI: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-50_000)
    if (options.echo) process.stderr.write(chunk)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited = false
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true
      resolve()
    }),
  )
  const stop = async () => {
    if (exited || child.pid === undefined) return
    // The whole group: wrangler, and the workerd it started.
    process.kill(-child.pid, 'SIGTERM')
    const forced = setTimeout(() => {
      if (!exited && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, 5000)
    await gone
    clearTimeout(forced)
  }
  const url = `http://127.0.0.1:${options.port}`
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (exited) throw new Error(`wrangler dev exited while starting:\n${output}`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not answer /healthz in time:\n${output}`)
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
      if (res.ok) break
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return { url, output: () => output, stop }
}
