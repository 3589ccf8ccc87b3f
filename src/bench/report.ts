import type { EmbeddedResults } from './embedded.ts'
import type { LoadResult } from './load.ts'
import type { SettlementLocksResults } from './settlement-locks.ts'
import type { WebhookIsolationResults } from './webhook-isolation.ts'
import type { WorkersResults } from './workers.ts'

export interface BenchResults {
  when: string
  machine: { cpus: number; node: string; postgres: string }
  connections: number
  seconds: number
  load: {
    baselineA: LoadResult
    baselineB: LoadResult
    generate: LoadResult
    page: LoadResult
    healthz?: LoadResult
    readyz?: LoadResult
  }
  /** The same product in workerd (`wrangler dev`), beside Node on healthz and generate. */
  workers?: WorkersResults
  /** Through withdraw, one rail request per payout. */
  endToEnd: EndToEnd
  /** Through v1 batches (HELLO_CLEVER_API=payouts_v1). */
  endToEndBatches: EndToEnd
  /** Of Postgres-backed Cashout, the higher of its withdraw and payouts_v1 runs. */
  peakRssMb: number
  startMs: number
  /** The embedded default (PGlite) on the same routes, in the same run. */
  embedded: EmbeddedResults
  /** Many providers settling at once: one shared platform row against rows per provider. */
  settlementLocks?: SettlementLocksResults
  /** Another provider's webhook, timed with and without an endpoint that never answers. */
  webhookIsolation?: WebhookIsolationResults
}

export interface EndToEnd {
  claims: number
  seconds: number
  claimsPerSecond: number
  badSignatures: number
  /** Requests Cashout made to the rail's payout APIs while these claims settled. */
  railRequests: number
}

export interface Target {
  name: string
  measured: string
  goal: string
  met: boolean
}

const fixed = (n: number, digits = 0) => n.toFixed(digits)

/** The issue's targets, each with what this run measured. */
export function targets(r: BenchResults): Target[] {
  const generateRatio = r.load.generate.rps / r.load.baselineB.rps
  const pageRatio = r.load.page.rps / r.load.baselineB.rps
  return [
    {
      name: 'generate / baseline B',
      measured: fixed(generateRatio, 2),
      goal: '≥ 0.80',
      met: generateRatio >= 0.8,
    },
    {
      name: 'claim page / baseline B',
      measured: fixed(pageRatio, 2),
      goal: '≥ 0.80',
      met: pageRatio >= 0.8,
    },
    {
      name: `generate p99 at ${r.connections} connections`,
      measured: `${fixed(r.load.generate.p99)} ms`,
      goal: '≤ 100 ms',
      met: r.load.generate.p99 <= 100,
    },
    {
      name: 'end to end (submit → signed claim.settled)',
      measured: `${fixed(r.endToEnd.claimsPerSecond)} claims/s`,
      goal: '≥ 500 claims/s',
      met: r.endToEnd.claimsPerSecond >= 500,
    },
    {
      name: 'payouts_v1 rail requests',
      measured: `${r.endToEndBatches.railRequests} for ${r.endToEndBatches.claims} claims`,
      goal: '< one per claim',
      met: r.endToEndBatches.railRequests < r.endToEndBatches.claims,
    },
    {
      name: 'peak RSS',
      measured: `${fixed(r.peakRssMb)} MB`,
      goal: '≤ 250 MB',
      met: r.peakRssMb <= 250,
    },
    {
      name: 'embedded PGlite: peak RSS',
      measured: `${fixed(r.embedded.peakRssMb)} MB`,
      goal: '≤ 250 MB',
      met: r.embedded.peakRssMb <= 250,
    },
    {
      name: `embedded PGlite: generate p99 at ${r.connections} connections`,
      measured: `${fixed(r.embedded.generate.p99)} ms`,
      goal: '≤ 1000 ms',
      met: r.embedded.generate.p99 <= 1000,
    },
    {
      name: 'start to /readyz',
      measured: `${fixed(r.startMs)} ms`,
      goal: '≤ 1500 ms',
      met: r.startMs <= 1500,
    },
    ...(r.webhookIsolation ? [webhookIsolationTarget(r.webhookIsolation)] : []),
  ]
}

function webhookIsolationTarget(w: WebhookIsolationResults): Target {
  const delay = w.hangingMedianMs - w.quietMedianMs
  return {
    name: "another provider's webhook while one endpoint hangs",
    measured: `${delay < 0 ? '−' : '+'}${fixed(Math.abs(delay) / 1000, 2)} s`,
    goal: '+< 1 s',
    met: delay < 1000,
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? []
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`
  const [head = [], ...body] = rows
  return [line(head), rule, ...body.map(line)].join('\n')
}

const settlementLocksLine = (s: SettlementLocksResults) =>
  `Settlements of ${s.providers} providers at once (${s.shared.settlements} each way): lock waits ${fixed(s.shared.lockWaitMs)} ms → ${fixed(s.perProvider.lockWaitMs)} ms, ${fixed(s.shared.settlementsPerSecond)} → ${fixed(s.perProvider.settlementsPerSecond)} settlements/s (one shared platform row → rows per provider)`

const webhookIsolationLine = (w: WebhookIsolationResults) =>
  `Webhook isolation: another provider's claim.cancelled reached its receiver in ${fixed(w.quietMedianMs)} ms (median of ${w.quietMs.length}); ${fixed(w.hangingMedianMs)} ms (worst ${fixed(w.hangingWorstMs)} ms) while an endpoint that never answers held ${w.hangingPeak} sends open with ${w.queued} test events queued`

const endToEndLine = (api: string, e: EndToEnd) =>
  `End to end (${api}): ${e.claims} claims submitted → all claim.settled webhooks verified in ${fixed(e.seconds, 1)} s (${fixed(e.claimsPerSecond)} claims/s, ${e.railRequests} rail requests)`

/** The results as Markdown tables, ready for the terminal and the README alike. */
export function formatReport(r: BenchResults): string {
  const row = (name: string, l: LoadResult) => [
    name,
    fixed(l.rps),
    fixed(l.p50),
    fixed(l.p99),
    String(l.requests),
    String(l.errors + l.non2xx),
  ]
  const loads = table([
    ['route', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors'],
    row('A: bare Hono JSON', r.load.baselineA),
    row('B: Hono + one INSERT', r.load.baselineB),
    row('POST /cashout/generate/:name', r.load.generate),
    row('GET /c/:uuid', r.load.page),
    row('embedded PGlite: POST /cashout/generate/:name', r.embedded.generate),
    row('embedded PGlite: GET /c/:uuid', r.embedded.page),
    ...(r.load.healthz ? [row('GET /healthz', r.load.healthz)] : []),
    ...(r.load.readyz ? [row('GET /readyz', r.load.readyz)] : []),
    ...(r.workers
      ? [
          row('Workers (wrangler dev): GET /healthz', r.workers.healthz),
          ...(r.workers.readyz
            ? [row('Workers (wrangler dev): GET /readyz', r.workers.readyz)]
            : []),
          row('Workers (wrangler dev): POST /cashout/generate/:name', r.workers.generate),
        ]
      : []),
  ])
  const goals = table([
    ['target', 'measured', 'goal', ''],
    ...targets(r).map((t) => [t.name, t.measured, t.goal, t.met ? 'met' : 'MISSED']),
  ])
  return [
    `${r.connections} connections, ${r.seconds} s per route; ${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.machine.postgres}`,
    '',
    loads,
    '',
    endToEndLine('withdraw', r.endToEnd),
    endToEndLine('payouts_v1', r.endToEndBatches),
    `Embedded PGlite: ready in ${fixed(r.embedded.readyMs)} ms from an empty data dir (first-start migrations included)`,
    ...(r.settlementLocks ? [settlementLocksLine(r.settlementLocks)] : []),
    ...(r.webhookIsolation ? [webhookIsolationLine(r.webhookIsolation)] : []),
    '',
    goals,
  ].join('\n')
}
