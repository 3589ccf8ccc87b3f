import { sql } from 'kysely'
import type { Db, Payout, PayoutMethod, PayoutStatus, Tx, WaitingOn } from '../db/schema.ts'

/** A payout in one of these is in flight; the database allows one per claim. */
export const ACTIVE: PayoutStatus[] = ['pending', 'sent', 'processing', 'unknown', 'held']
/** What the rail's own news (a callback) may finish: a held payout waits for a person. */
export const RAIL_FINISHABLE: PayoutStatus[] = ['pending', 'sent', 'processing', 'unknown']

export interface NewPayout {
  id: string
  claimId: string
  providerId: string
  livemode: boolean
  method: PayoutMethod
  amountMinor: bigint
  currency: string
  requestJwe: string
  callbackUrl: string
  callbackTokenSha256: string
  destinationMasked: Record<string, string>
  /** Why it waits from the start (a payout sent again after the rail was short of money). */
  waitingOn?: WaitingOn
  nextAttemptAt?: Date
  now: Date
}

/** Inserts a claim's next payout, numbered after its earlier ones in the same statement. */
export async function insertPayout(tx: Tx, p: NewPayout): Promise<Payout> {
  const [payout] = await insertPayouts(tx, [p])
  if (!payout) throw new Error('the payout insert returned nothing')
  return payout
}

/** `insertPayout` for many claims (one payout each) in one statement. */
export async function insertPayouts(tx: Tx, rows: NewPayout[]): Promise<Payout[]> {
  if (rows.length === 0) return []
  return tx
    .insertInto('payouts')
    .values((eb) =>
      rows.map((p) => ({
        id: p.id,
        claim_id: p.claimId,
        provider_id: p.providerId,
        livemode: p.livemode,
        attempt: eb
          .selectFrom('payouts')
          .select(sql<number>`count(*)::integer + 1`.as('next'))
          .where('claim_id', '=', p.claimId),
        status: 'pending',
        method: p.method,
        amount_minor: p.amountMinor,
        currency: p.currency,
        request_jwe: p.requestJwe,
        callback_url: p.callbackUrl,
        callback_token_sha256: p.callbackTokenSha256,
        destination_masked: JSON.stringify(p.destinationMasked),
        waiting_on: p.waitingOn ?? null,
        next_attempt_at: p.nextAttemptAt ?? p.now,
        created_at: p.now,
        updated_at: p.now,
      })),
    )
    .returningAll()
    .execute()
}

/** How many of a claim's payouts failed because of the account the customer gave. */
export async function countCustomerFailures(
  tx: Tx,
  claimId: string,
  codes: readonly string[],
): Promise<number> {
  const row = await tx
    .selectFrom('payouts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('claim_id', '=', claimId)
    .where('status', '=', 'failed')
    .where('failure_code', 'in', [...codes])
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
  /** The destination field the rail refused, when it named one (the claim page names it). */
  failureField?: string
  withdrawalId?: string
  railStatus?: string
}

/**
 * Who may finish a payout: the rail's callbacks (any payout in flight, except one held for a
 * person); a worker whose call was refused, only while it holds that call (the worker decides
 * whether the refusal proves anything: after an answer was lost it cannot, since the rail may
 * hold the earlier request); or the operator (anything in flight, held payouts included).
 */
export type Finisher = { by: 'rail' } | { by: 'worker'; workerId: string } | { by: 'operator' }

/**
 * Moves a payout to a final state; undefined when that is not allowed, so repeated or late
 * news changes nothing.
 */
export async function finishPayout(
  tx: Tx,
  id: string,
  change: FinalChange,
  now: Date,
  finisher: Finisher,
): Promise<Payout | undefined> {
  const [payout] = await finishPayouts(tx, [{ id, change }], now, finisher)
  return payout
}

/** `finishPayout` for many payouts in one statement; only those allowed to finish come back. */
export async function finishPayouts(
  tx: Tx,
  changes: { id: string; change: FinalChange }[],
  now: Date,
  finisher: Finisher,
): Promise<Payout[]> {
  if (changes.length === 0) return []
  const rows = JSON.stringify(
    changes.map(({ id, change }) => ({
      id,
      status: change.status,
      failure_code: change.failureCode ?? null,
      failure_reason: change.failureReason ?? null,
      failure_field: change.failureField ?? null,
      withdrawal_id: change.withdrawalId ?? null,
      rail_status: change.railStatus ?? null,
    })),
  )
  const allowed = finisher.by === 'rail' ? RAIL_FINISHABLE : ACTIVE
  const { rows: finished } = await sql<Payout>`
    update payouts as p set
      status = v.status,
      failure_code = v.failure_code,
      failure_reason = v.failure_reason,
      failure_field = v.failure_field,
      withdrawal_id = coalesce(p.withdrawal_id, v.withdrawal_id),
      rail_status = coalesce(v.rail_status, p.rail_status),
      waiting_on = null,
      lease_owner = null,
      lease_expires_at = null,
      updated_at = ${now}::timestamptz
    from json_to_recordset(${rows}::json) as v(id uuid, status text, failure_code text,
      failure_reason text, failure_field text, withdrawal_id text, rail_status text)
    where p.id = v.id
      and p.id = any(array(select (x->>'id')::uuid from json_array_elements(${rows}::json) as x))
      ${
        finisher.by === 'worker'
          ? sql`and p.status = 'sent' and p.lease_owner = ${finisher.workerId}`
          : sql`and p.status in (${sql.join(allowed.map((s) => sql`${s}`))})`
      }
    returning p.*`.execute(tx)
  return finished
}

/**
 * Hands a payout to a person: held payouts are never sent or settled by code. The watch alerts
 * the operator once (alerted_at is cleared so it does).
 */
export async function holdPayout(
  db: Db | Tx,
  input: {
    payoutId: string
    reason: string
    code: string
    railStatus?: string
    /** The rail's id for it, when it gave one. */
    withdrawalId?: string
    now: Date
    /** Only from these statuses (defaults to any payout still in flight). */
    from?: PayoutStatus[]
    /** Only while this worker holds the lease. */
    workerId?: string
  },
): Promise<Payout | undefined> {
  let query = db
    .updateTable('payouts')
    .set((eb) => ({
      status: 'held',
      waiting_on: 'operator',
      failure_code: input.code,
      failure_reason: input.reason,
      rail_status: input.railStatus ?? eb.ref('rail_status'),
      withdrawal_id: eb.fn.coalesce('withdrawal_id', eb.val(input.withdrawalId ?? null)),
      alerted_at: null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: input.now,
    }))
    .where('id', '=', input.payoutId)
    .where('status', 'in', input.from ?? ACTIVE)
  if (input.workerId) query = query.where('lease_owner', '=', input.workerId)
  return query.returningAll().executeTakeFirst()
}
