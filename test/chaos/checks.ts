import { readFileSync } from 'node:fs'
import type pg from 'pg'
import type { DriverStats } from './driver.ts'
import type { AbuseStats } from './hostile.ts'
import type { Landed } from './receiver.ts'

export interface Check {
  name: string
  ok: boolean
  detail: string
}

const FINAL = ['settled', 'failed', 'cancelled', 'expired']
const IN_FLIGHT = ['open', 'submitted', 'processing']

const list = (items: string[]) =>
  items.length === 0 ? '' : ` (${items.slice(0, 5).join(', ')}${items.length > 5 ? ', …' : ''})`

export async function claimStates(db: pg.Client): Promise<Check> {
  const rows = await db.query<{ id: string; status: string; status_reason: string | null }>(
    'select id, status, status_reason from claims',
  )
  const stuck = rows.rows.filter(
    (c) => !FINAL.includes(c.status) && !(c.status === 'open' && c.status_reason),
  )
  const counts: Record<string, number> = {}
  for (const c of rows.rows) {
    const key = c.status === 'open' ? 'open with a reason' : c.status
    counts[key] = (counts[key] ?? 0) + 1
  }
  return {
    name: 'every claim is final, or open with a reason',
    ok: stuck.length === 0,
    detail: `${rows.rows.length} claims: ${JSON.stringify(counts)}${stuck.length ? `; ${stuck.length} not${list(stuck.map((c) => `${c.id} ${c.status}`))}` : ''}`,
  }
}

export interface SandboxWithdrawal {
  client_transaction_id: string
  status: string
  amount_minor: number
}

export async function oneRailPayoutPerSettledClaim(
  db: pg.Client,
  withdrawals: SandboxWithdrawal[],
): Promise<Check> {
  const payouts = await db.query<{ id: string; claim_id: string }>(
    'select id, claim_id from payouts',
  )
  const claimOf = new Map(payouts.rows.map((p) => [p.id, p.claim_id]))
  const claims = await db.query<{ id: string; status: string; net_minor: string }>(
    'select id, status, net_minor from claims',
  )
  const paid = new Map<string, SandboxWithdrawal[]>()
  const orphans: string[] = []
  for (const w of withdrawals) {
    const claim = claimOf.get(w.client_transaction_id)
    if (!claim) orphans.push(w.client_transaction_id)
    else if (w.status === 'settled') paid.set(claim, [...(paid.get(claim) ?? []), w])
  }
  const problems: string[] = orphans.map((id) => `rail payout ${id} matches no payout`)
  for (const claim of claims.rows) {
    const made = paid.get(claim.id) ?? []
    const expected = claim.status === 'settled' ? 1 : 0
    if (made.length !== expected) {
      problems.push(`${claim.id} (${claim.status}) was paid ${made.length} times`)
    } else if (made[0] && String(made[0].amount_minor) !== claim.net_minor) {
      problems.push(`${claim.id} was paid ${made[0].amount_minor}, not ${claim.net_minor}`)
    }
  }
  const settled = claims.rows.filter((c) => c.status === 'settled').length
  return {
    name: 'the rail paid each settled claim exactly once, and nothing else',
    ok: problems.length === 0,
    detail: `${withdrawals.length} rail payouts, ${settled} settled claims${list(problems)}`,
  }
}

/** Over the claims of `providers`: the tarpit's claims settle, but their webhooks never land. */
export async function oneSettledWebhookPerSettledClaim(
  db: pg.Client,
  landed: Landed[],
  invalid: number,
  providers: string[],
): Promise<Check> {
  const claims = await db.query<{ id: string; status: string }>(
    'select c.id, c.status from claims c join providers p on p.id = c.provider_id where p.name = any($1)',
    [providers],
  )
  const ids = new Map<string, Set<string>>()
  for (const w of landed) {
    if (w.event !== 'claim.settled') continue
    ids.set(w.uuid, (ids.get(w.uuid) ?? new Set()).add(w.webhookId))
  }
  const problems: string[] = []
  for (const claim of claims.rows) {
    const got = ids.get(claim.id)?.size ?? 0
    const expected = claim.status === 'settled' ? 1 : 0
    if (got !== expected) problems.push(`${claim.id} (${claim.status}): ${got} claim.settled`)
  }
  if (invalid > 0) problems.push(`${invalid} messages failed signature verification`)
  return {
    name: 'each settled claim has exactly one claim.settled, signed',
    ok: problems.length === 0,
    detail: `${landed.length} webhooks accepted (duplicates of one webhook-id included)${list(problems)}`,
  }
}

export async function ledgerBalances(db: pg.Client): Promise<Check> {
  const one = async (sql: string) => (await db.query<{ v: string | null }>(sql)).rows[0]?.v ?? '0'
  const problems: string[] = []
  const total = await one('select sum(balance)::text as v from ledger_accounts')
  if (total !== '0') problems.push(`balances sum to ${total}`)
  const negative = await one(
    "select count(*)::text as v from ledger_accounts where kind in ('available', 'reserved') and balance < 0",
  )
  if (negative !== '0') problems.push(`${negative} floats below zero`)
  const drift = await one(`
    select count(*)::text as v from ledger_accounts a
    where a.balance <> coalesce((select sum(amount_minor) from ledger_transfers where credit_account_id = a.id), 0)
                     - coalesce((select sum(amount_minor) from ledger_transfers where debit_account_id = a.id), 0)`)
  if (drift !== '0') problems.push(`${drift} accounts differ from their transfers`)
  const reserved = await one(`
    select count(*)::text as v from ledger_accounts a
    where a.kind = 'reserved' and a.balance <> coalesce((select sum(reserved_minor) from claims
      where provider_id = a.provider_id and livemode = a.livemode and status in (${IN_FLIGHT.map((s) => `'${s}'`).join(',')})), 0)`)
  if (reserved !== '0') problems.push(`${reserved} reserved balances differ from open claims`)
  // Each provider has its own platform-side accounts; a transfer never touches another's.
  const strays = await one(`
    select count(distinct t.id)::text as v from ledger_transfers t
    join ledger_accounts a on a.id in (t.debit_account_id, t.credit_account_id)
    where a.provider_id <> t.provider_id`)
  if (strays !== '0') problems.push(`${strays} transfers touch another provider's accounts`)
  // The platform's paid-out total in each mode: every provider's paid_out account, plus any
  // shared one kept from before accounts were per provider.
  const paidOut = await one(`
    select coalesce(sum(abs(
      (select coalesce(sum(a.balance), 0) from ledger_accounts a
        where a.kind = 'paid_out' and a.livemode = m.livemode)
      - (select coalesce(sum(net_minor), 0) from claims
        where status = 'settled' and livemode = m.livemode))), 0)::text as v
    from (values (false), (true)) as m (livemode)`)
  if (paidOut !== '0') problems.push(`paid-out accounts off by ${paidOut} from settled claims`)
  return {
    name: 'the ledger sums to zero, matches its transfers, keeps each transfer within its provider, and no float is negative',
    ok: problems.length === 0,
    detail: problems.length ? problems.join('; ') : `total ${total}`,
  }
}

/** Card numbers and IPINs must appear in no row of any table and no line of any log. */
export async function noCardSecrets(
  db: pg.Client,
  secrets: { pans: string[]; ipins: string[] },
  logFiles: string[],
): Promise<Check> {
  const tables = await db.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'public'",
  )
  const problems: string[] = []
  let rows = 0
  for (const { table_name } of tables.rows) {
    const dump = await db.query<{ row: string }>(`select t::text as row from "${table_name}" t`)
    rows += dump.rows.length
    for (const { row } of dump.rows) {
      for (const pan of secrets.pans) if (row.includes(pan)) problems.push(`PAN in ${table_name}`)
      if (/"ipin"/i.test(row)) problems.push(`an ipin field in ${table_name}`)
    }
  }
  let bytes = 0
  for (const file of logFiles) {
    const text = readFileSync(file, 'utf8')
    bytes += text.length
    for (const pan of secrets.pans) if (text.includes(pan)) problems.push(`PAN in ${file}`)
    for (const ipin of secrets.ipins) {
      if (new RegExp(`ipin\\W{1,4}${ipin}`, 'i').test(text)) problems.push(`IPIN in ${file}`)
    }
  }
  return {
    name: 'no card number or IPIN in the database or the logs',
    ok: problems.length === 0,
    detail: `${rows} rows in ${tables.rows.length} tables, ${Math.round(bytes / 1024)} KiB of logs${list([...new Set(problems)])}`,
  }
}

export function cleanClientSide(stats: DriverStats): Check {
  const problems = stats.unexpected.map((u) => `${u.what} → ${u.status} ${u.body.slice(0, 120)}`)
  if (stats.replayMismatches > 0)
    problems.push(`${stats.replayMismatches} generate replays differed`)
  return {
    name: 'no 5xx or unexpected refusal from Cashout; replays return the same claim',
    ok: problems.length === 0,
    detail: `${stats.generated} generated, ${stats.insufficientFloat} refused for float, ${stats.retries} retries after faults${list(problems)}`,
  }
}

/** One delivery's first send: when it was made (epoch ms) and when Cashout first tried it. */
export interface FirstSend {
  provider: string
  id: string
  event: string
  created: number
  /** The first recorded attempt; null if none was recorded. */
  first: number | null
}

/** The first send of every delivery of these providers made between `from` and `to`. */
export async function firstSends(
  db: pg.Client,
  providers: string[],
  from: number,
  to: number,
): Promise<FirstSend[]> {
  const rows = await db.query<{
    provider: string
    id: string
    event: string
    created: string
    first: string | null
  }>(
    `select p.name as provider, d.id, d.event_type as event,
       extract(epoch from d.created_at) * 1000 as created,
       extract(epoch from (select min(a.attempted_at) from webhook_attempts a
         where a.delivery_id = d.id)) * 1000 as first
     from webhook_deliveries d
     join providers p on p.id = d.provider_id
     where p.name = any($1) and d.created_at >= $2 and d.created_at <= $3`,
    [providers, new Date(from), new Date(to)],
  )
  return rows.rows.map((r) => ({
    ...r,
    created: Number(r.created),
    first: r.first === null ? null : Number(r.first),
  }))
}

/** Milliseconds each send that its endpoint answered 2xx took, for these providers in a span. */
export async function answeredSendTimes(
  db: pg.Client,
  providers: string[],
  from: number,
  to: number,
): Promise<number[]> {
  const rows = await db.query<{ latency_ms: number }>(
    `select a.latency_ms from webhook_attempts a
     join webhook_deliveries d on d.id = a.delivery_id
     join providers p on p.id = d.provider_id
     where p.name = any($1) and a.status_code between 200 and 299
       and a.attempted_at >= $2 and a.attempted_at <= $3`,
    [providers, new Date(from), new Date(to)],
  )
  return rows.rows.map((r) => r.latency_ms)
}

/** The value below which `p` of `values` fall (nearest rank); 0 for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** What the run itself did that may hold a normal provider's delivery back. */
export interface Causes {
  /** When a Cashout process was killed or stopped. */
  downs: number[]
  /** Spans with no Cashout process running. */
  gaps: [number, number][]
  /** Spans when the normal providers' endpoint stalled. */
  stalls: [number, number][]
  /** Each provider's attempts (epoch ms, and whether its endpoint took it), in time order. */
  attempts: Map<string, { at: number; ok: boolean }[]>
}

export type WaitCause =
  | 'clear'
  | 'fault'
  | 'lease'
  | 'restart'
  | 'stall'
  | 'own endpoint failing'
  | 'unexplained'

/**
 * Why a delivery waited as long as it did for its first send. Within `lateMs` it is `clear`, or
 * `fault` if one of the run's faults fell between its making and its send. Later, a fault of its
 * own must account for the wait: a process killed after leasing it (the lease, `leaseMs`, runs
 * out before another takes it); no process running (it goes within `lateMs` of the next start);
 * its endpoint stalling (its sends hold its slots until the stall ends); or its endpoint failing
 * and taking nothing meanwhile (Cashout may hold back sends to an endpoint that keeps failing).
 * Anything else is `unexplained`: it waited on something that was not its own.
 */
export function causeOfWait(
  send: FirstSend,
  causes: Causes,
  bounds: { lateMs: number; leaseMs: number },
): WaitCause {
  if (send.first === null) return 'unexplained'
  const first = send.first
  const from = send.created - 1000
  const wait = first - send.created
  const killed = causes.downs.some((at) => at >= from && at <= first)
  const during = ([start, end]: [number, number]) => start <= first && end >= from
  const endedJustBefore = (span: [number, number]) =>
    during(span) && first <= span[1] + bounds.lateMs
  if (wait <= bounds.lateMs)
    return killed || causes.gaps.some(during) || causes.stalls.some(during) ? 'fault' : 'clear'
  if (killed && wait >= bounds.leaseMs - 1000) return 'lease'
  if (causes.gaps.some(endedJustBefore)) return 'restart'
  if (causes.stalls.some(endedJustBefore)) return 'stall'
  const mine = causes.attempts.get(send.provider) ?? []
  const before = mine.filter((a) => a.at < send.created).at(-1)
  const meanwhile = mine.filter((a) => a.at >= send.created && a.at <= first - bounds.lateMs)
  const failing = before?.ok === false || meanwhile.some((a) => !a.ok)
  if (failing && !meanwhile.some((a) => a.ok)) return 'own endpoint failing'
  return 'unexplained'
}

/** Each provider's attempts from `from` on, in time order, for causeOfWait. */
export async function attemptsByProvider(db: pg.Client, providers: string[], from: number) {
  const rows = await db.query<{ provider: string; at: string; ok: boolean }>(
    `select p.name as provider, extract(epoch from a.attempted_at) * 1000 as at,
       coalesce(a.status_code between 200 and 299, false) as ok
     from webhook_attempts a
     join webhook_deliveries d on d.id = a.delivery_id
     join providers p on p.id = d.provider_id
     where p.name = any($1) and a.attempted_at >= $2
     order by a.attempted_at`,
    [providers, new Date(from)],
  )
  const attempts = new Map<string, { at: number; ok: boolean }[]>()
  for (const r of rows.rows) {
    attempts.set(r.provider, [...(attempts.get(r.provider) ?? []), { at: Number(r.at), ok: r.ok }])
  }
  return attempts
}

/**
 * Per provider, how long its deliveries of `event` waited for their first send, counting those
 * with no fault of the run in their way: the others measure the faults, which are the same with
 * or without the hostile providers.
 */
export function waitsByProvider(
  sends: FirstSend[],
  providers: string[],
  event: string,
  cause: (send: FirstSend) => WaitCause,
) {
  return providers.map((name) => {
    const mine = sends.filter((s) => s.provider === name && s.event === event)
    const clear = mine.filter((s) => cause(s) === 'clear')
    const waits = clear.map((s) => (s.first as number) - s.created)
    return {
      provider: name,
      deliveries: mine.length,
      clear: clear.length,
      p50: percentile(waits, 0.5),
      p95: percentile(waits, 0.95),
      max: waits.length ? Math.max(...waits) : 0,
    }
  })
}

/**
 * Each normal provider's claim.settled deliveries are first sent as soon as without the hostile
 * providers: of those with no fault of the run in their way, the 95th percentile of the wait
 * from the row to its first send stays under `boundMs`.
 */
export function webhooksKeepPace(
  sends: FirstSend[],
  providers: string[],
  cause: (send: FirstSend) => WaitCause,
  boundMs: number,
): Check {
  const figures = waitsByProvider(sends, providers, 'claim.settled', cause)
  const problems = figures.flatMap((f) => [
    ...(f.p95 > boundMs ? [`${f.provider}'s p95 is ${seconds(f.p95)}`] : []),
    ...(f.clear === 0 ? [`${f.provider} has no claim.settled clear of faults to measure`] : []),
  ])
  return {
    name: `each normal provider's claim.settled is first sent within ${seconds(boundMs)} (p95 of those clear of the run's faults)`,
    ok: problems.length === 0,
    detail: `${figures.map((f) => `${f.provider}: ${f.clear} of ${f.deliveries} clear, p50 ${seconds(f.p50)}, p95 ${seconds(f.p95)}, max ${seconds(f.max)}`).join('; ')}${list(problems)}`,
  }
}

/**
 * No delivery of a normal provider waited on an endpoint not its own: each first send later than
 * `lateMs` has a fault of the run to account for it (see causeOfWait), and every send its
 * endpoint answered took under `answeredMs`, which one queued for a connection behind another
 * endpoint's would not.
 */
export function nothingWaitedOnOthers(
  sends: FirstSend[],
  answered: number[],
  cause: (send: FirstSend) => WaitCause,
  bounds: { lateMs: number; answeredMs: number },
): Check {
  const causes: Record<string, number> = {}
  const unexplained: FirstSend[] = []
  for (const send of sends) {
    const c = cause(send)
    causes[c] = (causes[c] ?? 0) + 1
    if (c === 'unexplained') unexplained.push(send)
  }
  const slow = answered.filter((ms) => ms > bounds.answeredMs)
  const problems = [
    ...unexplained.map((s) =>
      s.first === null
        ? `${s.id} (${s.provider}) never sent`
        : `${s.id} (${s.provider}) first sent ${seconds(s.first - s.created)} after it was made`,
    ),
    ...(slow.length
      ? [`${slow.length} answered sends took over ${seconds(bounds.answeredMs)}`]
      : []),
  ]
  return {
    name: `no normal provider's delivery waited on another's endpoint (none later than ${seconds(bounds.lateMs)} but for a fault of its own; answered sends under ${seconds(bounds.answeredMs)})`,
    ok: problems.length === 0,
    detail: `${sends.length} deliveries by cause ${JSON.stringify(causes)}; ${answered.length} answered sends, p99 ${seconds(percentile(answered, 0.99))}, max ${seconds(Math.max(0, ...answered))}${list(problems)}`,
  }
}

/**
 * The abuser was refused once over its budget, with `429` and a `Retry-After` within the
 * budget's window, and never a 5xx; and Cashout agreed to no more sends than the budget allows
 * (it is counted per process, so at most `budget` for each process started while it abused).
 */
export function abuserRefused(
  stats: AbuseStats,
  limits: { budget: number; processes: number; windowSeconds: number },
  delivered: number,
): Check {
  const allowed = limits.budget * limits.processes
  const problems: string[] = []
  if (stats.limited === 0) problems.push('never refused')
  if (stats.limitedWithoutRetryAfter > 0)
    problems.push(`${stats.limitedWithoutRetryAfter} 429s without a Retry-After`)
  if (stats.retryAfter && stats.retryAfter.max > limits.windowSeconds)
    problems.push(`Retry-After up to ${stats.retryAfter.max} s, past the window`)
  if (stats.accepted > allowed) problems.push(`${stats.accepted} sends accepted, over ${allowed}`)
  problems.push(...stats.serverErrors.map((e) => `${e.status} ${e.body.slice(0, 120)}`))
  return {
    name: 'the abuser got 429 with Retry-After past its budget, never a 5xx, and no more sends than the budget',
    ok: problems.length === 0,
    detail: `${stats.sent} requests: ${JSON.stringify(stats.byStatus)}, ${stats.balancer} balancer 502s, ${stats.network} unanswered; Retry-After ${stats.retryAfter ? `${stats.retryAfter.min}–${stats.retryAfter.max} s` : 'never'}; ${stats.accepted} accepted of ${allowed} allowed (${limits.budget} × ${limits.processes} processes), ${delivered} messages reached its endpoint${list(problems)}`,
  }
}

/**
 * The tarpit's deliveries end by timeout, never in flight past their lease: nothing it was sent
 * is delivered; every attempt recorded failed by timeout after about `timeoutMs`; Cashout hung
 * up on every connection within that; no message was held open on two connections at once; and
 * no delivery is held by a live process past its lease. The rest are leased (in flight, or left
 * by a process the run stopped, until the lease ends) or waiting for the tarpit's own slots.
 */
export async function tarpitTimedOut(
  db: pg.Client,
  tarpit: {
    name: string
    held: number[]
    stillOpen: number[]
    messages: number
    doubled: string[]
  },
  livePids: number[],
  bounds: { timeoutMs: number; slackMs: number },
): Promise<Check> {
  const deliveries = await db.query<{
    id: string
    status: string
    attempts: number
    lease_owner: string | null
    leased: boolean
    overdue: boolean
  }>(
    `select d.id, d.status, d.attempts, d.lease_owner,
       coalesce(d.lease_expires_at > now(), false) as leased,
       coalesce(d.lease_expires_at < now() - interval '2 seconds', false) as overdue
     from webhook_deliveries d join providers p on p.id = d.provider_id where p.name = $1`,
    [tarpit.name],
  )
  const attempts = await db.query<{
    error: string | null
    status_code: number | null
    latency_ms: number
  }>(
    `select a.error, a.status_code, a.latency_ms from webhook_attempts a
     join webhook_deliveries d on d.id = a.delivery_id
     join providers p on p.id = d.provider_id where p.name = $1`,
    [tarpit.name],
  )
  const ceiling = bounds.timeoutMs + bounds.slackMs
  const states: Record<string, number> = {}
  for (const d of deliveries.rows) {
    const state =
      d.status !== 'pending'
        ? d.status
        : d.leased
          ? 'leased'
          : d.attempts > 0
            ? 'retrying after timeouts'
            : 'waiting for a slot'
    states[state] = (states[state] ?? 0) + 1
  }
  const live = livePids.map((pid) => `:${pid}:`)
  const stuck = deliveries.rows.filter(
    (d) => d.overdue && d.lease_owner !== null && live.some((p) => d.lease_owner?.includes(p)),
  )
  const notTimeout = attempts.rows.filter(
    (a) =>
      a.status_code !== null ||
      !a.error?.startsWith('timeout') ||
      a.latency_ms < bounds.timeoutMs ||
      a.latency_ms > ceiling,
  )
  const heldTooLong = [...tarpit.held, ...tarpit.stillOpen].filter((ms) => ms > ceiling)
  const latencies = attempts.rows.map((a) => a.latency_ms)
  const problems = [
    ...(attempts.rows.length === 0 ? ['no attempt was recorded'] : []),
    ...(states.delivered ? [`${states.delivered} delivered`] : []),
    ...notTimeout
      .slice(0, 3)
      .map((a) => `an attempt ended ${a.status_code ?? a.error} after ${a.latency_ms} ms`),
    ...(heldTooLong.length
      ? [`${heldTooLong.length} connections held over ${seconds(ceiling)}`]
      : []),
    ...stuck.map((d) => `${d.id} held by a live process past its lease`),
    ...tarpit.doubled.map((id) => `${id} sent on two connections at once`),
  ]
  return {
    name: `the tarpit's deliveries fail by timeout (${seconds(bounds.timeoutMs)}), none held past its lease`,
    ok: problems.length === 0,
    detail: `${deliveries.rows.length} deliveries ${JSON.stringify(states)}; ${attempts.rows.length} attempts, ${latencies.length ? `${seconds(Math.min(...latencies))}–${seconds(Math.max(...latencies))}` : 'none'}; ${tarpit.messages} messages reached it over ${tarpit.held.length + tarpit.stillOpen.length} connections, longest held ${seconds(Math.max(0, ...tarpit.held, ...tarpit.stillOpen))}${list(problems)}`,
  }
}
