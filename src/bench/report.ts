import type { LoadResult } from './load.ts'

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
  }
  /** Through withdraw, one rail request per payout. */
  endToEnd: EndToEnd
  /** Through v1 batches (HELLO_CLEVER_API=payouts_v1). */
  endToEndBatches: EndToEnd
  peakRssMb: number
  startMs: number
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
  const pageRatio = r.load.page.rps / r.load.baselineA.rps
  return [
    {
      name: 'generate / baseline B',
      measured: fixed(generateRatio, 2),
      goal: '≥ 0.80',
      met: generateRatio >= 0.8,
    },
    {
      name: 'generate p99',
      measured: `${fixed(r.load.generate.p99)} ms`,
      goal: '≤ 100 ms',
      met: r.load.generate.p99 <= 100,
    },
    {
      name: 'claim page / baseline A',
      measured: fixed(pageRatio, 2),
      goal: '≥ 0.50',
      met: pageRatio >= 0.5,
    },
    {
      name: 'end to end',
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
      name: 'start to /readyz',
      measured: `${fixed(r.startMs)} ms`,
      goal: '≤ 1500 ms',
      met: r.startMs <= 1500,
    },
  ]
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? []
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`
  const [head = [], ...body] = rows
  return [line(head), rule, ...body.map(line)].join('\n')
}

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
    '',
    goals,
  ].join('\n')
}
