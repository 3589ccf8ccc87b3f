import { transition } from '../claims/transition.ts'
import type { Payout } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { classifyFailure, failPayout } from './outcome.ts'
import { RailError } from './rail/rail.ts'
import { openRequest } from './request.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger' | 'vault' | 'rail' | 'config' | 'wakeWebhooks'>

/** Seconds to wait after the n-th failed call (capped at the last), with ±20% jitter. */
const BACKOFF_SECONDS = [1, 2, 5, 15, 30, 60, 120, 300, 600]
const NEEDS_A_PERSON_MS = 24 * 3600_000

export function backoffMs(calls: number, random: () => number = Math.random): number {
  const index = Math.min(Math.max(calls, 1), BACKOFF_SECONDS.length) - 1
  const base = (BACKOFF_SECONDS[index] ?? 600) * 1000
  return Math.round(base * (0.8 + 0.4 * random()))
}

/** A rail's message kept for people to read, without digit runs that could be account details. */
export function railMessage(text: string): string {
  return text.replace(/\d{5,}/g, '[digits]').slice(0, 300)
}

/**
 * Leases up to `limit` due payouts and calls the rail for each. Rows are taken with SKIP
 * LOCKED and a lease, so any number of workers can run; a worker that dies mid-call leaves a
 * lease that expires, and the next worker retries with the same client_transaction_id.
 */
export async function runPayoutBatch({
  deps,
  workerId,
  limit = 25,
}: {
  deps: Deps
  workerId: string
  limit?: number
}): Promise<number> {
  const now = deps.clock.now()
  const leaseMs = deps.config.railTimeoutMs + 30_000
  // One statement: the due rows are locked (skipping any another worker holds) and leased at
  // once, with what the rail call needs from the claim and provider.
  const leased = await deps.db
    .with('due', (db) =>
      db
        .selectFrom('payouts')
        .select('id')
        .where('status', 'in', ['pending', 'sent', 'unknown'])
        .where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('payouts')
    .from('claims')
    .innerJoin('providers', 'providers.id', 'claims.provider_id')
    .set((eb) => ({
      status: 'sent',
      lease_owner: workerId,
      lease_expires_at: new Date(now.getTime() + leaseMs),
      rail_calls: eb('payouts.rail_calls', '+', 1),
      updated_at: now,
    }))
    .whereRef('claims.id', '=', 'payouts.claim_id')
    .where('payouts.id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .returningAll('payouts')
    .returning(['claims.customer_id', 'providers.name as provider_name'])
    .execute()
  await Promise.all(leased.map((payout) => callRail(deps, payout, workerId)))
  if (leased.length > 0) deps.wakeWebhooks?.()
  return leased.length
}

type LeasedPayout = Payout & { customer_id: string | null; provider_name: string }

async function callRail(deps: Deps, payout: LeasedPayout, workerId: string) {
  const log = deps.logger.child({ payout_id: payout.id, claim_id: payout.claim_id })
  try {
    const sealed = await openRequest(deps.vault, payout.request_jwe)
    const accepted = await deps.rail.withdraw({
      clientTransactionId: payout.id,
      userId: payout.customer_id ?? payout.claim_id,
      amountMinor: payout.amount_minor,
      currency: payout.currency,
      description: `Cashout from ${payout.provider_name}`,
      destination: sealed.destination,
      callbackUrl: payout.callback_url,
      callbackAuthorization: `Bearer ${sealed.callbackToken}`,
    })
    await recordAccepted(deps, payout, workerId, accepted.withdrawalId)
    log.info('payout accepted by the rail', { withdrawal_id: accepted.withdrawalId })
  } catch (error) {
    await recordFailure(deps, payout, workerId, error, log)
  }
}

async function recordAccepted(deps: Deps, payout: Payout, workerId: string, withdrawalId: string) {
  await withTx(deps.db, async (tx) => {
    const now = deps.clock.now()
    const moved = await tx
      .updateTable('payouts')
      .set({
        status: 'processing',
        withdrawal_id: withdrawalId,
        lease_owner: null,
        lease_expires_at: null,
        failure_reason: null,
        updated_at: now,
      })
      .where('id', '=', payout.id)
      .where('status', '=', 'sent')
      .where('lease_owner', '=', workerId)
      .executeTakeFirst()
    if (moved.numUpdatedRows === 1n) {
      await transition(tx, {
        claimId: payout.claim_id,
        from: ['submitted'],
        to: 'processing',
        now,
        sequenced: false,
      })
      return
    }
    // A callback (or another worker) got there first; keep the rail's id all the same.
    await tx
      .updateTable('payouts')
      .set({ withdrawal_id: withdrawalId })
      .where('id', '=', payout.id)
      .where('withdrawal_id', 'is', null)
      .execute()
  })
}

async function recordFailure(
  deps: Deps,
  payout: Payout,
  workerId: string,
  error: unknown,
  log: Deps['logger'],
) {
  const now = deps.clock.now()
  const reason = railMessage(error instanceof Error ? error.message : String(error))
  if (error instanceof RailError && error.kind === 'rejected' && payout.rail_calls === 1) {
    log.warn('payout refused by the rail', { reason, http_status: error.httpStatus })
    const outcome = await withTx(deps.db, (tx) =>
      failPayout(tx, {
        payoutId: payout.id,
        failure: { ...classifyFailure('RAIL_REJECTED', reason), fixable: true },
        attemptsAllowed: deps.config.payoutAttempts,
        now,
        logger: deps.logger,
        heldBy: workerId,
      }),
    )
    if (outcome.applied) return
  }
  // Anything else is tried again later with the same request: the rail may already hold it
  // ("unknown"), or certainly does not ("pending"). A refusal of a retry, or a clash over the
  // id, cannot be settled by code: it waits a day and is logged for a person.
  const kind = error instanceof RailError ? error.kind : 'internal'
  const needsPerson = kind === 'conflict' || kind === 'rejected'
  const status = kind === 'insufficient_funds' || kind === 'unauthorized' ? 'pending' : 'unknown'
  const wait = needsPerson ? NEEDS_A_PERSON_MS : backoffMs(payout.rail_calls)
  if (kind === 'unavailable')
    log.warn('rail unavailable; will retry', { reason, retry_in_ms: wait })
  else
    log.error('payout call failed', {
      kind,
      reason,
      retry_in_ms: wait,
      needs_operator: needsPerson,
    })
  await deps.db
    .updateTable('payouts')
    .set({
      status,
      failure_reason: reason,
      next_attempt_at: new Date(now.getTime() + wait),
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    })
    .where('id', '=', payout.id)
    .where('status', '=', 'sent')
    .where('lease_owner', '=', workerId)
    .execute()
}
