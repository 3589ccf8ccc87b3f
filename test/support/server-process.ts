import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  url: string
  output(): string
  /** Only what went to stdout: the JSON log. */
  stdout(): string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
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

/**
 * Runs an entry as `npm start` (or `npm run sandbox`) does, from the `dist/` bundle the test
 * run built, with only the given variables beyond PATH and HOME.
 */
export function spawnServer(
  env: Record<string, string>,
  entry: 'node' | 'bin/sandbox' = 'node',
): ServerProcess {
  const port = env.PORT ?? env.SANDBOX_PORT ?? '0'
  const child = spawn(process.execPath, [`dist/${entry}.mjs`], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let stdout = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  )
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stdout: () => stdout,
    exited,
  }
}

/** Polls until `path` answers 200, or fails with what the process printed. */
/**
 * How long a spawned server may take to answer: PGlite's first start on a fresh data dir is a
 * few seconds alone, and CI runs two test files beside it on two cores. Start time is not what
 * these tests judge; a server that never answers still fails them.
 */
export const START_MS = 30_000
/** A test that starts servers (sometimes twice) and waits for each. */
export const SPAWNED_TEST_MS = 120_000

export async function waitFor(
  server: ServerProcess,
  path: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
) {
  const started = Date.now()
  let exited = false
  void server.exited.then(() => {
    exited = true
  })
  while (Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`server exited early:\n${server.output()}`)
    try {
      const res = await fetch(`${server.url}${path}`, { headers })
      if (res.status === 200) return Date.now() - started
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no 200 from ${path} within ${timeoutMs} ms:\n${server.output()}`)
}

export async function stop(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM') {
  const sent = Date.now()
  server.child.kill(signal)
  const result = await server.exited
  return { ...result, ms: result.at - sent }
}
