import { sql } from 'kysely'
import type { Payout, PayoutStatus } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import {
  backoffMs,
  closeCircuit,
  type PayoutDeps,
  problemOf,
  retryLater,
  tripCircuit,
} from './after-call.ts'
import { failPayout, markAcceptedMany } from './outcome.ts'
import type { RailChannel } from './rail/circuit.ts'
import type { RailProblem } from './rail/classify.ts'
import { holdPayout } from './repository.ts'
import { openRequest } from './request.ts'

/** Refusals nobody classified are tried this many times, then left for a person. */
const UNKNOWN_CALLS = 5

type Leased = Payout & {
  customer_id: string | null
  provider_name: string
  previous_status: PayoutStatus
}

/**
 * Leases due withdraw payouts of one mode and calls `POST /v2/cashbacks/withdraw` for each. Rows
 * are taken with SKIP LOCKED and a lease, so any number of workers can run; a worker that dies
 * mid-call leaves a lease that expires, and the next retries with the same client_transaction_id.
 * Pending payouts go this way only while withdraw is the configured API; a payout whose answer
 * was lost (`unknown`) always does, since only its own id can settle whether it was paid.
 */
export async function sendWithdrawals(
  deps: PayoutDeps,
  input: { channel: RailChannel; livemode: boolean; workerId: string; limit: number },
): Promise<number> {
  const now = deps.clock.now()
  const leaseMs = deps.config.railTimeoutMs + 30_000
  const pendingToo = deps.config.helloCleverApi === 'withdraw'
  const leased = (await deps.db
    .with('due', (db) =>
      db
        .selectFrom('payouts')
        .select(['id', 'status as previous_status'])
        .where('livemode', '=', input.livemode)
        .where('next_attempt_at', '<=', now)
        .where((w) =>
          w.or([
            ...(pendingToo ? [w('status', '=', 'pending')] : []),
            w('status', '=', 'unknown'),
            // A lease that ran out mid-call: that call's answer is lost.
            w.and([w('status', '=', 'sent'), w('rail_api', '=', 'withdraw')]),
          ]),
        )
        .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(input.limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('payouts')
    .from(['due', 'claims'])
    .innerJoin('providers', 'providers.id', 'claims.provider_id')
    .set((eb) => ({
      status: 'sent',
      rail_api: 'withdraw',
      lease_owner: input.workerId,
      lease_expires_at: new Date(now.getTime() + leaseMs),
      rail_calls: eb('payouts.rail_calls', '+', 1),
      updated_at: now,
    }))
    .whereRef('claims.id', '=', 'payouts.claim_id')
    .whereRef('due.id', '=', 'payouts.id')
    .returningAll('payouts')
    .returning([
      'claims.customer_id',
      'providers.name as provider_name',
      // A lease that ran out counts as a lost answer.
      sql<PayoutStatus>`case when due.previous_status = 'sent' then 'unknown' else due.previous_status end`.as(
        'previous_status',
      ),
    ])
    .execute()) as Leased[]
  const calls = await Promise.all(leased.map((payout) => callRail(deps, input, payout)))
  await recordAccepted(
    deps,
    calls.filter((call) => call !== undefined),
    input.workerId,
  )
  return leased.length
}

async function callRail(
  deps: PayoutDeps,
  input: { channel: RailChannel; livemode: boolean; workerId: string },
  payout: Leased,
) {
  const log = deps.logger.child({ payout_id: payout.id, claim_id: payout.claim_id })
  let problem: RailProblem
  try {
    const sealed = await openRequest(deps.vault, payout.request_jwe)
    const accepted = await input.channel.rail.withdraw({
      clientTransactionId: payout.id,
      userId: payout.customer_id ?? payout.claim_id,
      amountMinor: payout.amount_minor,
      currency: payout.currency,
      description: `Cashout from ${payout.provider_name}`,
      destination: sealed.destination,
      callbackUrl: payout.callback_url,
      callbackAuthorization: `Bearer ${sealed.callbackToken}`,
    })
    await closeCircuit(deps, input.channel, input.livemode)
    const { amountMinor } = accepted
    if (
      !accepted.amountReadable ||
      (amountMinor !== undefined && amountMinor !== payout.amount_minor)
    ) {
      // Whatever the rail took, it is not what was asked: a person must look before it settles.
      await holdPayout(deps.db, {
        payoutId: payout.id,
        code: 'AMOUNT_MISMATCH',
        reason: `The rail accepted withdrawal ${accepted.withdrawalId} for ${amountMinor ?? 'an unreadable amount'} minor units; ${payout.amount_minor} were sent.`,
        railStatus: accepted.status,
        withdrawalId: accepted.withdrawalId,
        now: deps.clock.now(),
        workerId: input.workerId,
      })
      return
    }
    if (amountMinor === undefined) log.warn('the rail accepted a payout without saying the amount')
    log.info('payout accepted by the rail', { withdrawal_id: accepted.withdrawalId })
    return { payoutId: payout.id, withdrawalId: accepted.withdrawalId }
  } catch (error) {
    problem = problemOf(error, log)
  }
  await recordProblem(deps, input, payout, problem, log)
}

/**
 * The round's accepted payouts, recorded together: two statements and a transaction for all of
 * them. A payout a callback (or another worker) finished first keeps the rail's id all the same.
 */
async function recordAccepted(
  deps: PayoutDeps,
  accepted: { payoutId: string; withdrawalId: string }[],
  workerId: string,
) {
  if (accepted.length === 0) return
  await withTx(deps.db, async (tx) => {
    const moved = new Set(
      await markAcceptedMany(tx, {
        payouts: accepted.map((a) => ({ id: a.payoutId, withdrawal_id: a.withdrawalId })),
        workerId,
        now: deps.clock.now(),
        clearWaiting: true,
      }),
    )
    const late = accepted.filter((a) => !moved.has(a.payoutId))
    if (late.length === 0) return
    const rows = JSON.stringify(late.map((a) => ({ id: a.payoutId, wid: a.withdrawalId })))
    await sql`
      update payouts as p set withdrawal_id = v.wid
      from json_to_recordset(${rows}::json) as v(id uuid, wid text)
      where p.id = v.id and p.id = any(array(select (x->>'id')::uuid from json_array_elements(${rows}::json) as x))
        and p.withdrawal_id is null`.execute(tx)
  })
}

/** What the failure table says to do with a refused or unanswered withdrawal. */
async function recordProblem(
  deps: PayoutDeps,
  input: { channel: RailChannel; livemode: boolean; workerId: string },
  payout: Leased,
  problem: RailProblem,
  log: PayoutDeps['logger'],
) {
  const { workerId } = input
  // Only a payout no earlier call could have reached may be failed or re-sent on a refusal.
  const firstCall = payout.previous_status === 'pending'
  const keep: PayoutStatus = firstCall ? 'pending' : 'unknown'
  switch (problem.kind) {
    case 'credentials':
      await retryLater(deps, {
        payoutId: payout.id,
        workerId,
        status: keep,
        waitingOn: 'rail_credentials',
        reason: problem.detail,
        waitMs: 0,
      })
      await tripCircuit(deps, input.channel, input.livemode, problem.detail)
      return
    case 'merchant_balance':
      log.warn('rail balance short; payout waits', { reason: problem.detail })
      await retryLater(deps, {
        payoutId: payout.id,
        workerId,
        status: keep,
        waitingOn: 'rail_funds',
        reason: problem.detail,
        waitMs: backoffMs(payout.rail_calls),
      })
      return
    case 'destination':
      if (firstCall) {
        log.warn('payout refused by the rail for its destination', {
          reason: problem.detail,
          field: problem.field,
        })
        const outcome = await withTx(deps.db, (tx) =>
          failPayout(tx, {
            payoutId: payout.id,
            failure: {
              code: 'DESTINATION_REFUSED',
              detail: problem.detail,
              fixable: !problem.final,
              ...(problem.field ? { field: problem.field } : {}),
            },
            attemptsAllowed: deps.config.payoutAttempts,
            now: deps.clock.now(),
            logger: deps.logger,
            finisher: { by: 'worker', workerId },
          }),
        )
        if (outcome.applied) return
      }
      await hold(deps, payout, workerId, 'REFUSED_AFTER_LOST_ANSWER', problem)
      return
    case 'unavailable':
      log.warn('rail unavailable; will retry', { reason: problem.detail })
      await retryLater(deps, {
        payoutId: payout.id,
        workerId,
        status: problem.notReceived ? keep : 'unknown',
        waitingOn: 'rail_retry',
        reason: problem.detail,
        waitMs: backoffMs(payout.rail_calls),
      })
      return
    case 'unknown':
      if (payout.rail_calls >= UNKNOWN_CALLS) {
        await hold(deps, payout, workerId, problem.code ?? 'RAIL_REFUSED', problem)
        return
      }
      log.error('payout refused by the rail for a reason no document defines; will retry', {
        reason: problem.detail,
        code: problem.code,
      })
      await retryLater(deps, {
        payoutId: payout.id,
        workerId,
        status: keep,
        waitingOn: 'rail_retry',
        reason: problem.detail,
        waitMs: backoffMs(payout.rail_calls),
      })
  }
}

async function hold(
  deps: PayoutDeps,
  payout: Payout,
  workerId: string,
  code: string,
  problem: RailProblem,
) {
  await holdPayout(deps.db, {
    payoutId: payout.id,
    code,
    reason: problem.detail,
    now: deps.clock.now(),
    from: ['sent'],
    workerId,
  })
}
