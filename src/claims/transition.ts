import type { Claim, ClaimStatus, Tx } from '../db/schema.ts'
import type { Scope } from '../modes.ts'
import { jsonInt } from '../money.ts'
import { enqueueEventDelivery } from '../webhooks/outbox.ts'
import type { EventData } from '../webhooks/payload.ts'

export interface TransitionInput {
  claimId: string
  from: ClaimStatus[]
  to: ClaimStatus
  now: Date
  reason?: string | null
  /** Only the provider's claim in that mode. */
  scope?: Scope
  /** Only if the claim has expired by then (for expiry), or has not (for everything else). */
  expiredBy?: Date
  notExpiredAt?: Date
  /** A new expiry, e.g. more time for a customer whose payout was rejected. */
  expiresAt?: Date
  /** False for a change no event announces, so sequence numbers stay gap-free. */
  sequenced?: boolean
}

/**
 * Moves a claim between states with one conditional UPDATE; undefined means the claim was not
 * in an allowed state (or does not exist), so late or repeated requests change nothing. Each
 * transition takes the next number in the claim's event sequence.
 */
export async function transition(tx: Tx, t: TransitionInput): Promise<Claim | undefined> {
  let query = tx
    .updateTable('claims')
    .set((eb) => ({
      status: t.to,
      status_reason: t.reason ?? null,
      updated_at: t.now,
      event_sequence:
        t.sequenced === false ? eb.ref('event_sequence') : eb('event_sequence', '+', 1),
      ...(t.expiresAt ? { expires_at: t.expiresAt } : {}),
    }))
    .where('id', '=', t.claimId)
    .where('status', 'in', t.from)
  if (t.scope !== undefined) {
    query = query
      .where('provider_id', '=', t.scope.providerId)
      .where('livemode', '=', t.scope.livemode)
  }
  if (t.expiredBy !== undefined) query = query.where('expires_at', '<=', t.expiredBy)
  if (t.notExpiredAt !== undefined) query = query.where('expires_at', '>', t.notExpiredAt)
  return query.returningAll().executeTakeFirst()
}

export type ClaimEventType =
  | 'claim.created'
  | 'claim.cancelled'
  | 'claim.expired'
  | 'claim.submitted'
  | 'claim.settled'
  | 'claim.failed'
  | 'claim.reopened'

/** The claim as it stood when the event happened, kept with the event for its webhook. */
export function eventSnapshot(claim: Claim) {
  return {
    id: claim.provider_ref,
    uuid: claim.id,
    livemode: claim.livemode,
    status: claim.status,
    status_reason: claim.status_reason,
    customer_id: claim.customer_id,
    points: jsonInt(claim.points),
    rule_version: claim.rule_version,
    currency: claim.currency,
    gross_minor: jsonInt(claim.gross_minor),
    fee_minor: jsonInt(claim.fee_minor),
    fee_payer: claim.fee_payer,
    net_minor: jsonInt(claim.net_minor),
  }
}

/**
 * Writes the outbox row for a state change, in the same transaction as the change; `extra`
 * adds what the event is about (the masked destination, the failure).
 */
export async function recordEvent(
  tx: Tx,
  claim: Claim,
  type: ClaimEventType,
  now: Date,
  extra: Record<string, unknown> = {},
) {
  const data = { ...eventSnapshot(claim), ...extra } as EventData
  const event = await tx
    .insertInto('events')
    .values({
      provider_id: claim.provider_id,
      claim_id: claim.id,
      type,
      sequence: claim.event_sequence,
      data: JSON.stringify(data),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await enqueueEventDelivery(tx, {
    eventId: event.id,
    providerId: claim.provider_id,
    claimId: claim.id,
    type,
    sequence: claim.event_sequence,
    data,
    now,
  })
}
