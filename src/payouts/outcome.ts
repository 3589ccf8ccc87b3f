import { recordEvent, transition } from '../claims/transition.ts'
import type { Claim, Payout, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { releaseForClaim, settleForClaim } from '../ledger/reservation.ts'
import type { Logger } from '../log/logger.ts'
import type { DestinationField, RailProblem } from './rail/classify.ts'
import { countCustomerFailures, type Finisher, finishPayout } from './repository.ts'

/**
 * Failure codes that are about the account the customer gave; only these count against the
 * attempts a claim allows. `DESTINATION_REFUSED`: the rail refused a field of the request.
 */
export const CUSTOMER_FAILURES = [
  'ACCOUNT_INVALID',
  'PAYEE_BLOCKED',
  'DESTINATION_REFUSED',
  'OPERATOR_FAILED',
] as const

export interface Failure {
  code: string
  /** What the rail (or the operator) said, kept on the payout for the operator. */
  detail: string
  /** Whether another account might work; false ends the claim whatever attempts are left. */
  fixable: boolean
  /** The destination field the rail refused, when it named one. */
  field?: DestinationField
}

const FIELD_NAMES: Record<DestinationField, string> = {
  payid: 'the PayID',
  payid_type: 'the PayID type',
  account_name: 'the account name',
  bsb: 'the BSB',
  account_number: 'the account number',
}

/** The reason a customer and a provider read, in plain words. */
export function plainReason(failure: Failure, finalAttempt: boolean): string {
  const base = failure.field
    ? `The payment service did not accept ${FIELD_NAMES[failure.field]}.`
    : failure.code === 'ACCOUNT_INVALID' || failure.code === 'DESTINATION_REFUSED'
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
  input: {
    payoutId: string
    withdrawalId?: string
    now: Date
    logger: Logger
    finisher: Finisher
  },
): Promise<Outcome> {
  const payout = await finishPayout(
    tx,
    input.payoutId,
    { status: 'settled', withdrawalId: input.withdrawalId, railStatus: 'settled' },
    input.now,
    input.finisher,
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
 * The payout failed because of the account. With a fixable failure and attempts left, the
 * claim opens again for the customer (with at least a day to act); otherwise it fails and the
 * reservation returns to the provider's float.
 */
export async function failPayout(
  tx: Tx,
  input: {
    payoutId: string
    failure: Failure
    attemptsAllowed: number
    now: Date
    logger: Logger
    finisher: Finisher
    railStatus?: string
  },
): Promise<Outcome> {
  const { failure, now } = input
  const payout = await finishPayout(
    tx,
    input.payoutId,
    {
      status: 'failed',
      failureCode: failure.code,
      failureReason: failure.detail,
      railStatus: input.railStatus,
    },
    now,
    input.finisher,
  )
  if (!payout) return { applied: false }
  const used = await countCustomerFailures(tx, payout.claim_id, CUSTOMER_FAILURES)
  const finalAttempt = !failure.fixable || used >= input.attemptsAllowed
  const reason = plainReason(failure, finalAttempt)
  const details = {
    destination: payout.destination_masked,
    failure: {
      code: failure.code,
      reason,
      attempt: payout.attempt,
      final: finalAttempt,
      ...(failure.field ? { field: failure.field } : {}),
    },
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

/**
 * The rail took a payout a worker sent: it is the rail's now, and its claim is processing. False
 * when a callback (or another worker) got there first.
 */
export async function markAccepted(
  tx: Tx,
  input: {
    payoutId: string
    claimId: string
    workerId: string
    now: Date
    railIds: { withdrawal_id: string } | { rail_transaction_id: string | null }
    /**
     * Whether acceptance ends any wait. Not for a batch: its callback may already have come,
     * ahead of the answer, saying the batch waits for funds.
     */
    clearWaiting: boolean
  },
): Promise<boolean> {
  const moved = await tx
    .updateTable('payouts')
    .set({
      status: 'processing',
      ...input.railIds,
      ...(input.clearWaiting ? { waiting_on: null, alerted_at: null } : {}),
      failure_reason: null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: input.now,
    })
    .where('id', '=', input.payoutId)
    .where('status', '=', 'sent')
    .where('lease_owner', '=', input.workerId)
    .executeTakeFirst()
  if (moved.numUpdatedRows !== 1n) return false
  await transition(tx, {
    claimId: input.claimId,
    from: ['submitted'],
    to: 'processing',
    now: input.now,
    sequenced: false,
  })
  return true
}

/** The rail reported a payout failed for its account (one of the failure table's codes). */
export async function failForAccount(
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'config'>,
  payoutId: string,
  problem: Pick<RailProblem, 'code' | 'detail' | 'final'>,
): Promise<Outcome> {
  return withTx(deps.db, (tx) =>
    failPayout(tx, {
      payoutId,
      failure: {
        code: problem.code ?? 'ACCOUNT_INVALID',
        detail: problem.detail,
        fixable: !problem.final,
      },
      attemptsAllowed: deps.config.payoutAttempts,
      now: deps.clock.now(),
      logger: deps.logger,
      finisher: { by: 'rail' },
      railStatus: 'failed',
    }),
  )
}
