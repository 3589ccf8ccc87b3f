import { sql } from 'kysely'
import { applyTransition } from '../claims/lifecycle.ts'
import type { Claim, Payout, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import type { Logger } from '../log/logger.ts'
import type { DestinationField, RailProblem } from './rail/classify.ts'
import { countCustomerFailures, type Finisher, finishPayout, finishPayouts } from './repository.ts'

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

/** What a failure says about the account, as the customer is told it (in any language). */
export type FailureKind = 'field' | 'bank' | 'blocked' | 'other'

export function failureKind(code: string | null, field: string | null | undefined): FailureKind {
  if (field) return 'field'
  if (code === 'ACCOUNT_INVALID' || code === 'DESTINATION_REFUSED') return 'bank'
  return code === 'PAYEE_BLOCKED' ? 'blocked' : 'other'
}

const BASES: Record<Exclude<FailureKind, 'field'>, string> = {
  bank: 'The bank could not pay this account.',
  blocked: 'This account cannot receive payments.',
  other: 'The payment could not be completed.',
}

/** The reason a customer and a provider read, in plain words. */
export function plainReason(failure: Failure, finalAttempt: boolean): string {
  const kind = failureKind(failure.code, failure.field)
  const base =
    kind === 'field' && failure.field
      ? `The payment service did not accept ${FIELD_NAMES[failure.field]}.`
      : BASES[kind === 'field' ? 'other' : kind]
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
  const [outcome] = await settlePayouts(tx, {
    payouts: [{ id: input.payoutId, withdrawalId: input.withdrawalId }],
    now: input.now,
    logger: input.logger,
    finisher: input.finisher,
  })
  return outcome ?? { applied: false }
}

/**
 * Settles many payouts the rail paid (a batch report's lines) with three statements whatever
 * their number: the payouts, their claims, and the claims' events and postings. One outcome per
 * payout that was still in flight.
 */
export async function settlePayouts(
  tx: Tx,
  input: {
    payouts: { id: string; withdrawalId?: string }[]
    now: Date
    logger: Logger
    finisher: Finisher
  },
): Promise<Outcome[]> {
  const finished = await finishPayouts(
    tx,
    input.payouts.map((p) => ({
      id: p.id,
      change: { status: 'settled', withdrawalId: p.withdrawalId, railStatus: 'settled' },
    })),
    input.now,
    input.finisher,
  )
  const claims = await applyTransition(tx, {
    name: 'settle',
    changes: finished.map((payout) => ({
      claimId: payout.claim_id,
      details: {
        destination: payout.destination_masked,
        payout: { attempt: payout.attempt, withdrawal_id: payout.withdrawal_id },
      },
    })),
    now: input.now,
  })
  const byId = new Map(claims.map((claim) => [claim.id, claim]))
  return finished.map((payout) => {
    const claim = byId.get(payout.claim_id)
    if (!claim) {
      input.logger.error('a payout settled for a claim that was not waiting for it', {
        payout_id: payout.id,
        claim_id: payout.claim_id,
      })
    }
    return { applied: true, claim, payout }
  })
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
      failureField: failure.field,
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
  const [claim] = await applyTransition(tx, {
    name: finalAttempt ? 'fail' : 'reopen',
    changes: [
      {
        claimId: payout.claim_id,
        reason,
        // A customer asked to try again gets at least a day to do it.
        expiresAt: finalAttempt ? undefined : new Date(now.getTime() + REOPEN_GRACE_MS),
        details,
      },
    ],
    now,
  })
  if (!claim && finalAttempt) {
    input.logger.error('a payout failed for a claim that was not waiting for it', {
      payout_id: payout.id,
      claim_id: payout.claim_id,
    })
  }
  return { applied: true, claim, payout }
}

/**
 * Payouts the rail took, many in two statements: those still `sent` under this worker's lease
 * become `processing` with the rail's ids, and their claims too. Returns the ids that moved.
 */
export async function markAcceptedMany(
  tx: Tx,
  input: {
    payouts: { id: string; withdrawal_id?: string; rail_transaction_id?: string | null }[]
    workerId: string
    now: Date
    /**
     * Whether acceptance ends any wait. Not for a batch: its callback may already have come,
     * ahead of the answer, saying the batch waits for funds.
     */
    clearWaiting: boolean
  },
): Promise<string[]> {
  if (input.payouts.length === 0) return []
  const rows = JSON.stringify(
    input.payouts.map((p) => ({
      id: p.id,
      withdrawal_id: p.withdrawal_id ?? null,
      rail_transaction_id: p.rail_transaction_id ?? null,
    })),
  )
  const { rows: moved } = await sql<{ id: string; claim_id: string }>`
    update payouts as p set
      status = 'processing',
      withdrawal_id = coalesce(v.withdrawal_id, p.withdrawal_id),
      rail_transaction_id = coalesce(v.rail_transaction_id, p.rail_transaction_id),
      waiting_on = case when ${input.clearWaiting}::boolean then null else p.waiting_on end,
      alerted_at = case when ${input.clearWaiting}::boolean then null else p.alerted_at end,
      failure_reason = null,
      lease_owner = null,
      lease_expires_at = null,
      updated_at = ${input.now}::timestamptz
    from json_to_recordset(${rows}::json) as v(id uuid, withdrawal_id text, rail_transaction_id text)
    where p.id = v.id and p.id = any(array(select (x->>'id')::uuid from json_array_elements(${rows}::json) as x))
      and p.status = 'sent' and p.lease_owner = ${input.workerId}
    returning p.id, p.claim_id`.execute(tx)
  await applyTransition(tx, {
    name: 'accept',
    changes: moved.map((p) => ({ claimId: p.claim_id })),
    now: input.now,
  })
  return moved.map((p) => p.id)
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
