import type { Db, Payout, PayoutMethod, PayoutStatus, Tx } from '../db/schema.ts'

export const ACTIVE: PayoutStatus[] = ['pending', 'sent', 'processing', 'unknown']

export interface NewPayout {
  id: string
  claimId: string
  providerId: string
  attempt: number
  method: PayoutMethod
  amountMinor: bigint
  currency: string
  requestJwe: string
  callbackUrl: string
  callbackTokenSha256: string
  destinationMasked: Record<string, string>
  now: Date
}

export async function insertPayout(tx: Tx, p: NewPayout): Promise<Payout> {
  return tx
    .insertInto('payouts')
    .values({
      id: p.id,
      claim_id: p.claimId,
      provider_id: p.providerId,
      attempt: p.attempt,
      status: 'pending',
      method: p.method,
      amount_minor: p.amountMinor,
      currency: p.currency,
      request_jwe: p.requestJwe,
      callback_url: p.callbackUrl,
      callback_token_sha256: p.callbackTokenSha256,
      destination_masked: JSON.stringify(p.destinationMasked),
      next_attempt_at: p.now,
      created_at: p.now,
      updated_at: p.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function countPayouts(tx: Tx, claimId: string): Promise<number> {
  const row = await tx
    .selectFrom('payouts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('claim_id', '=', claimId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function findPayout(db: Db | Tx, id: string): Promise<Payout | undefined> {
  return db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The newest payout of each claim, for showing claims with their latest attempt. */
export async function latestPayouts(db: Db | Tx, claimIds: string[]): Promise<Map<string, Payout>> {
  if (claimIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('payouts')
    .selectAll()
    .where('claim_id', 'in', claimIds)
    .orderBy('attempt', 'desc')
    .execute()
  const latest = new Map<string, Payout>()
  for (const row of rows) if (!latest.has(row.claim_id)) latest.set(row.claim_id, row)
  return latest
}

export interface FinalChange {
  status: 'settled' | 'failed'
  failureCode?: string
  failureReason?: string
  withdrawalId?: string
}

/**
 * Moves a payout to a final state; undefined when that is not allowed, so repeated or late
 * news changes nothing. From the rail's callbacks any active payout may finish. A refusal seen
 * by a worker may fail a payout only while that worker holds its first and only call: after an
 * answer was lost, a later refusal cannot prove the rail never took the first request.
 */
export async function finishPayout(
  tx: Tx,
  id: string,
  change: FinalChange,
  now: Date,
  heldBy?: string,
): Promise<Payout | undefined> {
  const query = tx
    .updateTable('payouts')
    .set((eb) => ({
      status: change.status,
      failure_code: change.failureCode ?? null,
      failure_reason: change.failureReason ?? null,
      withdrawal_id: change.withdrawalId
        ? eb.fn.coalesce('withdrawal_id', eb.val(change.withdrawalId))
        : eb.ref('withdrawal_id'),
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    }))
    .where('id', '=', id)
  const guarded = heldBy
    ? query
        .where('status', '=', 'sent')
        .where('lease_owner', '=', heldBy)
        .where('rail_calls', '=', 1)
    : query.where('status', 'in', ACTIVE)
  return guarded.returningAll().executeTakeFirst()
}
