import { sql } from 'kysely'
import type { Claim, ClaimStatus, Db, Tx } from '../db/schema.ts'
import type { Scope } from '../modes.ts'
import type { Quote } from '../rules/quote.ts'

export interface NewClaim {
  id: string
  providerId: string
  livemode: boolean
  providerRef: string
  requestSha256: string
  customerId: string | null
  quote: Quote
  expiresAt: Date
  now: Date
}

/** Inserts an open claim as event 1 of its history; undefined if the reference is taken. */
export async function insertClaim(tx: Tx, c: NewClaim): Promise<Claim | undefined> {
  return tx
    .insertInto('claims')
    .values({
      id: c.id,
      provider_id: c.providerId,
      livemode: c.livemode,
      provider_ref: c.providerRef,
      request_sha256: c.requestSha256,
      customer_id: c.customerId,
      points: c.quote.points,
      rule_version: c.quote.rule_version,
      currency: c.quote.currency,
      gross_minor: c.quote.gross_minor,
      fee_minor: c.quote.fee_minor,
      fee_payer: c.quote.fee_payer,
      net_minor: c.quote.net_minor,
      reserved_minor: c.quote.reserved_minor,
      status: 'open',
      event_sequence: 1,
      expires_at: c.expiresAt,
      created_at: c.now,
      updated_at: c.now,
    })
    .onConflict((oc) => oc.columns(['provider_id', 'livemode', 'provider_ref']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function findClaimByRef(db: Db | Tx, scope: Scope, ref: string) {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('provider_ref', '=', ref)
    .executeTakeFirst()
}

/** A claim by its uuid; with a scope, only if it is that provider's in that mode. */
export async function findClaim(db: Db | Tx, id: string, scope?: Scope) {
  let query = db.selectFrom('claims').selectAll().where('id', '=', id)
  if (scope !== undefined) {
    query = query.where('provider_id', '=', scope.providerId).where('livemode', '=', scope.livemode)
  }
  return query.executeTakeFirst()
}

/** Statuses whose cash counts against a customer's caps. */
export const COUNTED_STATUSES: ClaimStatus[] = ['open', 'submitted', 'processing', 'settled']

export async function customerUsage(
  db: Db | Tx,
  scope: Scope,
  customerId: string,
  now: Date,
): Promise<{ daily_minor: bigint; thirty_day_minor: bigint }> {
  const dayAgo = new Date(now.getTime() - 24 * 3600_000)
  const monthAgo = new Date(now.getTime() - 30 * 24 * 3600_000)
  const row = await db
    .selectFrom('claims')
    .select([
      sql<string>`coalesce(sum(net_minor) filter (where created_at > ${dayAgo}), 0)`.as('daily'),
      sql<string>`coalesce(sum(net_minor), 0)`.as('thirty_day'),
    ])
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('customer_id', '=', customerId)
    .where('status', 'in', COUNTED_STATUSES)
    .where('created_at', '>', monthAgo)
    .executeTakeFirstOrThrow()
  return { daily_minor: BigInt(row.daily), thirty_day_minor: BigInt(row.thirty_day) }
}

/** Serialises work on one key (a provider reference, a customer) within a transaction. */
export async function lockKey(tx: Tx, key: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx)
}

export interface ClaimFilter {
  scope: Scope
  status?: ClaimStatus
  customerId?: string
  createdAfter?: Date
  createdBefore?: Date
  /** A provider reference, or a claim's uuid: claims whose reference or uuid is exactly this. */
  reference?: string
  after?: { createdAt: Date; id: string }
  limit: number
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function listClaims(db: Db, f: ClaimFilter): Promise<Claim[]> {
  let query = db
    .selectFrom('claims')
    .selectAll()
    .where('provider_id', '=', f.scope.providerId)
    .where('livemode', '=', f.scope.livemode)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit)
  if (f.status) query = query.where('status', '=', f.status)
  if (f.customerId) query = query.where('customer_id', '=', f.customerId)
  if (f.createdAfter) query = query.where('created_at', '>=', f.createdAfter)
  if (f.createdBefore) query = query.where('created_at', '<', f.createdBefore)
  const reference = f.reference
  if (reference !== undefined) {
    // Only text shaped like a uuid is compared with the uuid column, which refuses anything else.
    query = UUID_TEXT.test(reference)
      ? query.where((eb) =>
          eb.or([eb('provider_ref', '=', reference), eb('id', '=', reference.toLowerCase())]),
        )
      : query.where('provider_ref', '=', reference)
  }
  const after = f.after
  if (after) {
    // The first condition repeats what the `or` implies, so the index can start at the page's
    // position instead of filtering every earlier row again (long exports read many pages).
    query = query
      .where('created_at', '<=', after.createdAt)
      .where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      )
  }
  return query.execute()
}
