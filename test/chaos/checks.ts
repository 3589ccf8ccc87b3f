import { readFileSync } from 'node:fs'
import type pg from 'pg'
import type { DriverStats } from './driver.ts'
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

export async function oneSettledWebhookPerSettledClaim(
  db: pg.Client,
  landed: Landed[],
  invalid: number,
): Promise<Check> {
  const claims = await db.query<{ id: string; status: string }>('select id, status from claims')
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
