import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { onTestFinished } from 'vitest'
import type { App } from '../../src/app.ts'
import { type ManualClock, manualClock } from '../../src/clock.ts'
import type { Db } from '../../src/db/schema.ts'
import { startLoop } from '../../src/jobs/loop.ts'
import { helloCleverRail } from '../../src/payouts/rail/hello-clever.ts'
import type { PayoutRail } from '../../src/payouts/rail/rail.ts'
import { watchPayouts } from '../../src/payouts/watch.ts'
import { runPayoutBatch } from '../../src/payouts/worker.ts'
import type { Sandbox } from '../../src/sandbox/app.ts'
import { serveSandbox } from '../../src/sandbox/server.ts'
import { buildTestApp } from './app.ts'
import { call, generate, type Loose, type TestProvider } from './client.ts'
import { until } from './receiver.ts'
import { SANDBOX_HEADERS, testSandbox } from './sandbox.ts'

export interface PayoutHarness {
  app: App
  deps: ReturnType<typeof buildTestApp>['deps']
  logs: ReturnType<typeof buildTestApp>['logs']
  clock: ManualClock
  /** The sandbox test mode pays through. */
  sandbox: Sandbox
  sandboxOrigin: string
  /** With `live`: a second sandbox standing in for Hello Clever, which live mode pays through. */
  live: { sandbox: Sandbox; origin: string } | undefined
  cashoutUrl: string
  /** Calls a sandbox's own control routes (the test one unless another origin is given). */
  control(method: string, path: string, body?: unknown, origin?: string): Promise<Loose>
  /** Runs the payout worker until nothing is due. */
  drain(workerId?: string): Promise<number>
  /** What the sandbox says it did for a client_transaction_id. */
  withdrawal(clientTransactionId: string): Promise<Record<string, Loose>>
  waitForClaim(provider: TestProvider, uuid: string, status: string): Promise<Record<string, Loose>>
  /** Keeps the payout worker running in the background until the test ends. */
  startWorker(): void
}

/**
 * Cashout served on a loopback port, talking over real HTTP to a sandbox on another, which calls
 * back into Cashout. Cashout's clock is manual (retries and leases move when told); the
 * sandbox keeps real time at 1/1000 scale.
 */
export async function payoutHarness(
  db: Db,
  options: {
    env?: Record<string, string>
    railTimeoutMs?: number
    timeScale?: number
    /** Which of Hello Clever's APIs carries payouts (both modes). */
    api?: 'withdraw' | 'payouts_v1'
    /** Serve a second sandbox as Hello Clever, and configure RAIL=hello-clever to reach it. */
    live?: boolean
    wrapRail?: (rail: PayoutRail) => PayoutRail
    cashbackMode?: boolean
  } = {},
): Promise<PayoutHarness> {
  const sandbox = testSandbox({
    timeScale: options.timeScale ?? 0.001,
    cashbackMode: options.cashbackMode,
  })
  const running = await serveSandbox(sandbox, 0)
  const liveSandbox = options.live
    ? testSandbox({ timeScale: options.timeScale ?? 0.001 })
    : undefined
  const liveRunning = liveSandbox ? await serveSandbox(liveSandbox, 0) : undefined
  let current: App | undefined
  const server = serve({
    fetch: (req) => (current as App).fetch(req),
    port: 0,
    hostname: '127.0.0.1',
  })
  await new Promise<void>((resolve) =>
    server.listening ? resolve() : server.once('listening', () => resolve()),
  )
  const cashoutUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const railTimeoutMs = options.railTimeoutMs ?? 2000
  const client = (baseUrl: string) =>
    helloCleverRail({
      baseUrl,
      appId: SANDBOX_HEADERS['app-id'],
      secretKey: SANDBOX_HEADERS['secret-key'],
      timeoutMs: railTimeoutMs,
      fetch: globalThis.fetch,
    })
  const base = client(running.baseUrl)
  const clock = manualClock(new Date())
  const built = buildTestApp(db, {
    clock,
    rail: options.wrapRail ? options.wrapRail(base) : base,
    liveRail: liveRunning ? client(liveRunning.baseUrl) : undefined,
    env: {
      PUBLIC_URL: cashoutUrl,
      CALLBACK_BASE_URL: cashoutUrl,
      RAIL_TIMEOUT_MS: String(railTimeoutMs),
      HELLO_CLEVER_API: options.api ?? 'withdraw',
      ...(liveRunning
        ? {
            RAIL: 'hello-clever',
            HELLO_CLEVER_BASE_URL: liveRunning.baseUrl,
            HELLO_CLEVER_APP_ID: SANDBOX_HEADERS['app-id'],
            HELLO_CLEVER_SECRET_KEY: SANDBOX_HEADERS['secret-key'],
          }
        : {}),
      ...options.env,
    },
  })
  current = built.app
  onTestFinished(async () => {
    await running.close()
    await liveRunning?.close()
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      if ('closeAllConnections' in server) server.closeAllConnections()
    })
  })
  const harness: PayoutHarness = {
    app: built.app,
    deps: built.deps,
    logs: built.logs,
    clock,
    sandbox,
    sandboxOrigin: running.origin,
    live:
      liveSandbox && liveRunning ? { sandbox: liveSandbox, origin: liveRunning.origin } : undefined,
    cashoutUrl,
    async control(method, path, body, origin = running.origin) {
      const res = await fetch(`${origin}${path}`, {
        method,
        headers: { ...SANDBOX_HEADERS, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return res.json()
    },
    async drain(workerId = 'test-worker') {
      let total = 0
      for (;;) {
        const n =
          (await watchPayouts(built.deps)) + (await runPayoutBatch({ deps: built.deps, workerId }))
        total += n
        if (n === 0) return total
      }
    },
    async withdrawal(id) {
      const res = await fetch(`${running.origin}/sandbox/withdrawals/${id}`, {
        headers: SANDBOX_HEADERS,
      })
      return (await res.json()) as Record<string, Loose>
    },
    startWorker() {
      const loop = startLoop(
        'test payout worker',
        () => runPayoutBatch({ deps: built.deps, workerId: 'background' }),
        25,
        built.deps.logger,
      )
      onTestFinished(() => loop.stop())
    },
    async waitForClaim(provider, uuid, status) {
      const reply = await until(
        () => call(built.app, 'GET', `/cashout/claims/${uuid}`, { key: provider.key }),
        (r) => r.body.status === status,
      )
      return reply.body
    },
  }
  return harness
}

export const BANK = {
  type: 'bank',
  account_name: 'Jane Citizen',
  bsb: '062-000',
  account_number: '12345678',
}
export const PAYID = { type: 'payid', payid_type: 'email', payid: 'Jane@Example.com' }
export const bankAccount = (accountNumber: string) => ({ ...BANK, account_number: accountNumber })

export function submit(
  app: App,
  provider: TestProvider,
  uuid: string,
  destination: Record<string, unknown>,
) {
  return call(app, 'POST', `/cashout/claims/${uuid}/submit`, {
    key: provider.key,
    body: destination,
  })
}

/** A claim's events in order, as `<sequence> <type>`. */
export async function eventLog(db: Db, claimId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select(['type', 'sequence'])
    .where('claim_id', '=', claimId)
    .orderBy('sequence')
    .execute()
  return rows.map((r) => `${r.sequence} ${r.type}`)
}

export async function eventTypes(db: Db, claimId: string): Promise<string[]> {
  return (await eventLog(db, claimId)).map((line) => line.slice(line.indexOf(' ') + 1))
}

/** A claim generated and submitted to `destination`; its uuid. */
export async function claimWith(
  h: Pick<PayoutHarness, 'app'>,
  p: TestProvider,
  id: string,
  destination: Record<string, unknown>,
  amount = 500,
) {
  const claim = (await generate(h.app, p, { amount, id })).body
  const submitted = await submit(h.app, p, claim.uuid, destination)
  if (submitted.status !== 200) throw new Error(`submit failed: ${JSON.stringify(submitted.body)}`)
  return claim.uuid as string
}

/** A claim's latest payout row. */
export async function payoutOf(db: Db, claimId: string) {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('attempt', 'desc')
    .executeTakeFirstOrThrow()
}
