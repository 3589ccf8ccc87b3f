import { recordEvent, transition } from '../claims/transition.ts'
import type { Claim, Payout, Tx } from '../db/schema.ts'
import { releaseForClaim, settleForClaim } from '../ledger/reservation.ts'
import type { Logger } from '../log/logger.ts'
import { finishPayout } from './repository.ts'

/** Rail failure codes the customer cannot fix by trying again, even with another account. */
const PERMANENT = new Set(['PAYEE_BLOCKED'])

export interface Failure {
  code: string
  /** What the rail said, kept on the payout for the operator. */
  detail: string
  fixable: boolean
}

export function classifyFailure(code: string | undefined, detail: string | undefined): Failure {
  const known = code ?? 'PAYOUT_FAILED'
  return { code: known, detail: detail ?? 'The payout failed.', fixable: !PERMANENT.has(known) }
}

/** The reason a customer and a provider read, in plain words. */
export function plainReason(failure: Failure, finalAttempt: boolean): string {
  const base =
    failure.code === 'ACCOUNT_INVALID' || failure.code === 'RAIL_REJECTED'
      ? 'The bank could not pay this account.'
      : failure.code === 'PAYEE_BLOCKED'
        ? 'This account cannot receive payments.'
        : 'The payment could not be completed.'
  return failure.fixable && !finalAttempt
    ? `${base} Check the details, or use a different account.`
    : `${base} The cashout has stopped, and its value has gone back to the rewards program.`
}

const REOPEN_GRACE_MS = 24 * 3600_000

export type Outcome =
  | { applied: false }
  | { applied: true; claim: Claim | undefined; payout: Payout }

/**
 * The rail paid: the payout is final, the claim settled, the reservation posted to paid out
 * (and fees). A payout already final changes nothing.
 */
export async function settlePayout(
  tx: Tx,
  input: { payoutId: string; withdrawalId?: string; now: Date; logger: Logger },
): Promise<Outcome> {
  const payout = await finishPayout(
    tx,
    input.payoutId,
    { status: 'settled', withdrawalId: input.withdrawalId },
    input.now,
  )
  if (!payout) return { applied: false }
  const claim = await transition(tx, {
    claimId: payout.claim_id,
    from: ['submitted', 'processing'],
    to: 'settled',
    now: input.now,
  })
  if (!claim) {
    input.logger.error('a payout settled for a claim that was not waiting for it', {
      payout_id: payout.id,
      claim_id: payout.claim_id,
    })
    return { applied: true, claim: undefined, payout }
  }
  await recordEvent(tx, claim, 'claim.settled', input.now, {
    destination: payout.destination_masked,
    payout: { attempt: payout.attempt, withdrawal_id: payout.withdrawal_id },
  })
  await settleForClaim(tx, claim, input.now)
  return { applied: true, claim, payout }
}

/**
 * The rail did not pay. With a fixable failure and attempts left, the claim opens again for
 * the customer (with at least a day to act); otherwise it fails and the reservation returns
 * to the provider's float.
 */
export async function failPayout(
  tx: Tx,
  input: {
    payoutId: string
    failure: Failure
    attemptsAllowed: number
    now: Date
    logger: Logger
    /** Set when a worker's own call was refused: see finishPayout. */
    heldBy?: string
  },
): Promise<Outcome> {
  const { failure, now } = input
  const payout = await finishPayout(
    tx,
    input.payoutId,
    { status: 'failed', failureCode: failure.code, failureReason: failure.detail },
    now,
    input.heldBy,
  )
  if (!payout) return { applied: false }
  const finalAttempt = !failure.fixable || payout.attempt >= input.attemptsAllowed
  const reason = plainReason(failure, finalAttempt)
  const details = {
    destination: payout.destination_masked,
    failure: { code: failure.code, reason, attempt: payout.attempt, final: finalAttempt },
  }
  if (!finalAttempt) {
    const current = await tx
      .selectFrom('claims')
      .select('expires_at')
      .where('id', '=', payout.claim_id)
      .executeTakeFirst()
    const grace = new Date(now.getTime() + REOPEN_GRACE_MS)
    const claim = await transition(tx, {
      claimId: payout.claim_id,
      from: ['submitted', 'processing'],
      to: 'open',
      reason,
      now,
      expiresAt: current && current.expires_at < grace ? grace : undefined,
    })
    if (claim) await recordEvent(tx, claim, 'claim.reopened', now, details)
    return { applied: true, claim, payout }
  }
  const claim = await transition(tx, {
    claimId: payout.claim_id,
    from: ['submitted', 'processing'],
    to: 'failed',
    reason,
    now,
  })
  if (claim) {
    await recordEvent(tx, claim, 'claim.failed', now, details)
    await releaseForClaim(tx, claim, now)
  } else {
    input.logger.error('a payout failed for a claim that was not waiting for it', {
      payout_id: payout.id,
      claim_id: payout.claim_id,
    })
  }
  return { applied: true, claim, payout }
}
