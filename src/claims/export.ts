import type { Claim, ClaimStatus, Db } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { type CsvValue, csvStream } from '../http/csv.ts'
import { modeName, type Scope } from '../modes.ts'
import { sweepExpiredClaims } from './expire.ts'
import { listClaims } from './repository.ts'

/** What both exports (the API's and the console's) narrow the claims by. */
export interface ClaimExportFilter {
  status?: ClaimStatus
  customerId?: string
  createdAfter?: Date
  createdBefore?: Date
  /** Exactly the provider's reference, or the claim's uuid. */
  reference?: string
}

export const CLAIM_CSV_HEADER = [
  'uuid',
  'reference',
  'customer_id',
  'status',
  'status_reason',
  'points',
  'currency',
  'gross',
  'fee',
  'net',
  'fee_payer',
  'rule_version',
  'livemode',
  'created_at',
  'expires_at',
  'updated_at',
  'payout_destination',
]

/** A claim with the masked destination of its latest payout, if it has one. */
export type ClaimExportRow = Claim & { destination_masked: Record<string, string> | null }

/** Rows per database read: enough to keep round trips few, small enough to hold in memory. */
export const EXPORT_PAGE_SIZE = 1000

/**
 * `12.34` from 1234 minor units, exactly (bigint arithmetic, never a float), so a spreadsheet
 * or an accounting import reads dollars and cents.
 */
export function decimalAmount(minor: bigint): string {
  const abs = minor < 0n ? -minor : minor
  const cents = (abs % 100n).toString().padStart(2, '0')
  return `${minor < 0n ? '-' : ''}${abs / 100n}.${cents}`
}

/**
 * A payout destination as stored (already masked), in one cell: enough to recognise the
 * account, never the full number.
 */
export function maskedDestinationText(masked: Record<string, string> | null): string | null {
  if (!masked) return null
  if (masked.type === 'bank') {
    return `${masked.account_name ?? ''}, BSB ${masked.bsb ?? ''}, account ${masked.account_number ?? ''}`
  }
  if (masked.type === 'payid') return `PayID ${masked.payid ?? ''}`
  return null
}

export function claimCsvCells(row: ClaimExportRow): CsvValue[] {
  return [
    row.id,
    row.provider_ref,
    row.customer_id,
    row.status,
    row.status_reason,
    row.points,
    row.currency,
    decimalAmount(row.gross_minor),
    decimalAmount(row.fee_minor),
    decimalAmount(row.net_minor),
    row.fee_payer,
    row.rule_version,
    row.livemode,
    row.created_at.toISOString(),
    row.expires_at.toISOString(),
    row.updated_at.toISOString(),
    maskedDestinationText(row.destination_masked),
  ]
}

/**
 * One page of the export, newest first, after `after` (keyset on created_at, id): the same
 * filters as the claim list, plus each claim's latest payout destination (masked).
 */
export async function claimExportPage(
  db: Db,
  scope: Scope,
  filter: ClaimExportFilter,
  after: Pick<Claim, 'created_at' | 'id'> | undefined,
  limit = EXPORT_PAGE_SIZE,
): Promise<ClaimExportRow[]> {
  const claims = await listClaims(db, {
    scope,
    ...filter,
    after: after ? { createdAt: after.created_at, id: after.id } : undefined,
    limit,
  })
  if (claims.length === 0) return []
  const payouts = await db
    .selectFrom('payouts')
    .select(['claim_id', 'destination_masked'])
    .distinctOn('claim_id')
    .where(
      'claim_id',
      'in',
      claims.map((c) => c.id),
    )
    .orderBy('claim_id')
    .orderBy('attempt', 'desc')
    .execute()
  const latest = new Map(payouts.map((p) => [p.claim_id, p.destination_masked]))
  return claims.map((c) => ({ ...c, destination_masked: latest.get(c.id) ?? null }))
}

/**
 * The filtered claims as a CSV stream, read a page at a time, so 100,000 rows take no more
 * memory than 1,000. Claims past their expiry are expired first, as the claim list does, so
 * the file never shows a stale `open`.
 */
export async function claimsCsv({
  deps,
  scope,
  filter,
  pageSize = EXPORT_PAGE_SIZE,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'wakeWebhooks'>
  scope: Scope
  filter: ClaimExportFilter
  pageSize?: number
}): Promise<ReadableStream<Uint8Array>> {
  await sweepExpiredClaims({ deps, scope })
  return csvStream<ClaimExportRow>({
    header: CLAIM_CSV_HEADER,
    nextPage: (after) => claimExportPage(deps.db, scope, filter, after, pageSize),
    toCells: claimCsvCells,
  })
}

/** `claims-test-2026-03-01.csv`: the mode is in the name, so test data is never filed as live. */
export function claimsCsvFilename(scope: Scope, now: Date): string {
  return `claims-${modeName(scope.livemode)}-${now.toISOString().slice(0, 10)}.csv`
}
