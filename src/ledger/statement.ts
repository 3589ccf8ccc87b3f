import { type RawBuilder, sql } from 'kysely'
import type { ClaimStatus, Db, TransferKind } from '../db/schema.ts'
import { type CsvValue, csvStream } from '../http/csv.ts'
import type { Position } from '../http/cursor.ts'
import type { Scope } from '../modes.ts'
import { minorToMajor } from '../money.ts'

/** One transfer into or out of a provider's available float, with the float after it. */
export interface StatementRow {
  id: string
  created_at: Date
  kind: TransferKind
  direction: 'in' | 'out'
  amount_minor: bigint
  /** The available float just after this transfer: every earlier transfer summed, exactly. */
  running_minor: bigint
  currency: string
  livemode: boolean
  claim_id: string | null
  claim_ref: string | null
  claim_status: ClaimStatus | null
  /** A credit's reference (the operator's or a test top-up's). */
  reference: string | null
}

interface RawRow extends Omit<StatementRow, 'direction' | 'livemode'> {
  signed: bigint
}

/**
 * The provider's transfers touching its available float, as a subquery: credits and releases
 * come in, reservations go out. `signed` is the change each made to the float.
 */
function touching(scope: Scope, currency: string, where: RawBuilder<unknown>) {
  return sql`
    select t.id, t.created_at, t.kind, t.amount_minor, t.claim_id, t.reference,
      case when t.credit_account_id = acct.id then t.amount_minor else -t.amount_minor end as signed
    from ledger_transfers t
    join ledger_accounts acct on acct.id in (t.debit_account_id, t.credit_account_id)
    where t.provider_id = ${scope.providerId}::uuid and t.livemode = ${scope.livemode}::boolean
      and acct.provider_id = ${scope.providerId}::uuid and acct.livemode = ${scope.livemode}::boolean
      and acct.kind = 'available' and acct.currency = ${currency}
      and ${where}`
}

/** What every page selects: the page's rows with the claim they belong to. */
function finish(running: RawBuilder<unknown>, order: 'asc' | 'desc') {
  const dir = sql.raw(order)
  return sql`
    select page.id, page.created_at, page.kind, page.amount_minor, page.claim_id, page.reference,
      page.signed, c.provider_ref as claim_ref, c.status as claim_status,
      ${running} as running_minor
    from page left join claims c on c.id = page.claim_id
    order by page.created_at ${dir}, page.id ${dir}`
}

function rowsOf(rows: RawRow[], scope: Scope, currency: string): StatementRow[] {
  return rows.map(({ signed, ...row }) => ({
    ...row,
    direction: signed > 0n ? 'in' : 'out',
    currency,
    livemode: scope.livemode,
  }))
}

/**
 * A page of the statement, newest first, before `before` (keyset on created_at, id). Each
 * row's running balance is counted back from the account's balance now, read in the same
 * statement (so the same snapshot): the balance, less every transfer newer than the page, less
 * the page, plus the window sum of the page up to the row. The newest page costs one page of
 * reads however long the ledger is; a deeper page adds one sum over the rows above it. The
 * account's balance is the sum of its transfers (`transfer` writes both in one statement), so
 * this equals the sum of every earlier transfer; the tests check both ends.
 */
export async function statementNewestFirst(
  db: Db,
  scope: Scope,
  options: { currency: string; before?: Position; limit: number },
): Promise<StatementRow[]> {
  const { currency, before, limit } = options
  // The `created_at` bound beside each row comparison lets the (provider_id, created_at) index
  // serve it.
  const older = before
    ? sql`t.created_at <= ${before.createdAt}::timestamptz
        and (t.created_at, t.id) < (${before.createdAt}::timestamptz, ${before.id}::uuid)`
    : sql`true`
  const newer = before
    ? sql`(select coalesce(sum(n.signed), 0) from (${touching(
        scope,
        currency,
        sql`t.created_at >= ${before.createdAt}::timestamptz
          and (t.created_at, t.id) >= (${before.createdAt}::timestamptz, ${before.id}::uuid)`,
      )}) n)`
    : sql`0`
  const { rows } = await sql<RawRow>`
    with page as (
      ${touching(scope, currency, older)}
      order by t.created_at desc, t.id desc
      limit ${limit}
    ), start as (
      select
        (select balance from ledger_accounts
          where provider_id = ${scope.providerId}::uuid and livemode = ${scope.livemode}::boolean
            and kind = 'available' and currency = ${currency})
        - ${newer}
        - (select coalesce(sum(signed), 0) from page) as total
    )
    ${finish(
      sql`((select total from start) + sum(page.signed) over (order by page.created_at, page.id))::bigint`,
      'desc',
    )}`.execute(db)
  return rowsOf(rows, scope, currency)
}

/**
 * A page of the statement, oldest first, after `after`: the last row of the previous page,
 * whose running balance is carried on rather than summed again, so reading the whole
 * statement page by page costs one pass over the ledger.
 */
export async function statementOldestFirst(
  db: Db,
  scope: Scope,
  options: {
    currency: string
    after?: Pick<StatementRow, 'created_at' | 'id' | 'running_minor'>
    limit: number
  },
): Promise<StatementRow[]> {
  const { currency, after, limit } = options
  const cut = after
    ? sql`t.created_at >= ${after.created_at}::timestamptz
        and (t.created_at, t.id) > (${after.created_at}::timestamptz, ${after.id}::uuid)`
    : sql`true`
  const carried = after?.running_minor ?? 0n
  const { rows } = await sql<RawRow>`
    with page as (
      ${touching(scope, currency, cut)}
      order by t.created_at, t.id
      limit ${limit}
    )
    ${finish(
      sql`(${carried}::bigint + sum(page.signed) over (order by page.created_at, page.id))::bigint`,
      'asc',
    )}`.execute(db)
  return rowsOf(rows, scope, currency)
}

export const STATEMENT_HEADER = [
  'transfer_id',
  'created_at',
  'kind',
  'direction',
  'amount',
  'running_balance',
  'currency',
  'claim_uuid',
  'claim_reference',
  'credit_reference',
  'livemode',
]

/**
 * Exact decimal dollars. A running balance is never negative in the ledger, but two transfers
 * stamped in one millisecond may list in either order, so the sign is kept rather than thrown.
 */
function decimal(minor: bigint): string {
  return minor < 0n ? `-${minorToMajor(-minor)}` : minorToMajor(minor)
}

/** One CSV line's cells: amounts as exact decimal dollars, times in ISO 8601 UTC. */
export function statementCells(row: StatementRow): CsvValue[] {
  return [
    row.id,
    row.created_at.toISOString(),
    row.kind,
    row.direction,
    decimal(row.amount_minor),
    decimal(row.running_minor),
    row.currency,
    row.claim_id,
    row.claim_ref,
    row.kind === 'credit' ? row.reference : null,
    row.livemode,
  ]
}

/** The whole statement as CSV, oldest first, read `pageSize` rows at a time. */
export function statementCsv(
  db: Db,
  scope: Scope,
  options: { currency: string; pageSize?: number },
): ReadableStream<Uint8Array> {
  const limit = options.pageSize ?? 1000
  return csvStream<StatementRow>({
    header: STATEMENT_HEADER,
    nextPage: (after) =>
      statementOldestFirst(db, scope, { currency: options.currency, after, limit }),
    toCells: statementCells,
  })
}

/** `statement-test-2026-03-01.csv`. */
export function statementFilename(scope: Scope, now: Date): string {
  return `statement-${scope.livemode ? 'live' : 'test'}-${now.toISOString().slice(0, 10)}.csv`
}
