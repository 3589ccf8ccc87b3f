import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

export interface Service {
  url: string
  child: ChildProcess
  /** Milliseconds from spawn to the first 200 from the ready path. */
  readyMs: number
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number
  output(): string
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The Node flags and entry of `npm start`, so the benchmark runs Cashout exactly as it. */
export function startCommand(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: { start: string }
  }
  const [node, ...args] = pkg.scripts.start.split(/\s+/)
  if (node !== 'node') throw new Error(`npm start runs ${node}, not node`)
  return args
}

/** Starts an entry of this project's `dist/` bundle as its own Node process, waits until ready. */
export async function startService(options: {
  /** The entry, after any Node flags. */
  script: string[]
  port: number
  env: Record<string, string>
  readyPath: string
  readyHeaders?: Record<string, string>
  timeoutMs?: number
  /** Receives everything the process prints, for callers that keep whole logs. */
  onOutput?: (chunk: string) => void
}): Promise<Service> {
  const started = performance.now()
  const child = spawn(process.execPath, options.script, {
    cwd: root,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
    options.onOutput?.(chunk.toString())
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited = false
  child.once('exit', () => {
    exited = true
  })
  const url = `http://127.0.0.1:${options.port}`
  const deadline = started + (options.timeoutMs ?? 30_000)
  let readyMs: number | undefined
  while (readyMs === undefined) {
    if (exited) throw new Error(`${options.script.join(' ')} exited while starting:\n${output}`)
    if (performance.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${options.script.join(' ')} was not ready in time:\n${output}`)
    }
    try {
      const res = await fetch(`${url}${options.readyPath}`, { headers: options.readyHeaders })
      await res.body?.cancel()
      if (res.status === 200) readyMs = performance.now() - started
    } catch {
      // not listening yet
    }
    if (readyMs === undefined) await new Promise((r) => setTimeout(r, 5))
  }
  return {
    url,
    child,
    readyMs,
    peakRssMb: () => peakRss(child.pid),
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve()
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}

/** `npm run migrate` against `url`, as its own process, as an operator would run it. */
export function runMigrations(url: string, secrets: Record<string, string>) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bin/migrate.mjs'], {
      cwd: root,
      env: { DATABASE_URL: url, RAIL: 'sandbox', LOG_LEVEL: 'warn', ...secrets },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`migrations failed (exit ${code})`)),
    )
  })
}

function peakRss(pid: number | undefined): number {
  if (!pid) return 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return kb / 1024
  } catch {
    return 0
  }
}
