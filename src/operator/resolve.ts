import { type Actor, recordAudit } from '../audit/record.ts'
import type { Payout, PayoutStatus, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { failPayout, settlePayout } from '../payouts/outcome.ts'
import { resendPayout } from '../payouts/resend.ts'

/**
 * What a person may resolve: a payout the rail may have received (sent, accepted, answer lost)
 * or held after its answer. A `pending` one has not reached the rail, so there is nothing there
 * to find; settling it would pay a claim with money never sent.
 */
export const RESOLVABLE: readonly PayoutStatus[] = ['sent', 'processing', 'unknown', 'held']

/** Why a payout not yet sent cannot be resolved, and what would move it. */
function notSentMessage(p: Payout): string {
  const base = 'This payout has not been sent to the rail yet, so there is nothing to resolve'
  if (p.waiting_on === 'rail_funds')
    return `${base}. It waits for Hello Clever’s merchant balance: top it up and it is sent on its own.`
  if (p.waiting_on === 'rail_credentials')
    return `${base}. It waits for working rail credentials: check HELLO_CLEVER_APP_ID and the secret key, and it is sent on its own.`
  return `${base}; Cashout sends it on its own.`
}

export interface Resolution {
  /** What the operator found at the rail. */
  status: 'settled' | 'failed' | 'resend'
  reason: string
  /** With `failed`: no other account may be tried; the claim fails. */
  final: boolean
}

/**
 * Records what a person found at the rail for a payout still in flight, and writes
 * `payout.resolved` in the same transaction. Returns the payout as it now stands (for a resend,
 * the new one); a payout already final is `payout_final`, one not yet sent `payout_not_sent`.
 */
export async function resolvePayout({
  deps,
  actor,
  payoutId,
  resolution,
}: {
  deps: Pick<
    AppDeps,
    'db' | 'clock' | 'logger' | 'vault' | 'config' | 'wakeWebhooks' | 'wakePayouts'
  >
  actor: Actor
  payoutId: string
  resolution: Resolution
}): Promise<Payout> {
  const now = deps.clock.now()
  const finisher = { by: 'operator' } as const
  const { status, reason, final } = resolution
  const changed = await withTx(deps.db, async (tx) => {
    // Locked, so the sender cannot move it (back to pending, say) between this check and the
    // change: the state checked is the state resolved.
    const before = await tx
      .selectFrom('payouts')
      .selectAll()
      .where('id', '=', payoutId)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new DomainError('not_found', { message: 'There is no payout with that id.' })
    if (before.status === 'pending') {
      throw new DomainError('payout_not_sent', { message: notSentMessage(before) })
    }
    const after = await applyResolution(tx, before.id)
    if (after) {
      await recordAudit(tx, {
        actor,
        providerId: before.provider_id,
        livemode: before.livemode,
        action: 'payout.resolved',
        target: before.id,
        before: { status: before.status, failure_code: before.failure_code },
        after: {
          outcome: status === 'failed' && final ? 'failed_final' : status,
          reason,
          status: after.id === before.id ? after.status : 'failed',
          ...(after.id === before.id ? {} : { resent_as: after.id }),
        },
        at: now,
      })
    }
    return { before, after }
  })
  if (!changed.after) {
    throw new DomainError('payout_final', {
      message: `This payout is already ${changed.before.status}; only one in flight can be resolved.`,
    })
  }
  deps.wakeWebhooks?.()
  deps.wakePayouts?.()
  return changed.after

  async function applyResolution(tx: Tx, id: string): Promise<Payout | undefined> {
    if (status === 'settled') {
      const outcome = await settlePayout(tx, { payoutId: id, now, logger: deps.logger, finisher })
      return outcome.applied ? outcome.payout : undefined
    }
    if (status === 'failed') {
      const outcome = await failPayout(tx, {
        payoutId: id,
        failure: { code: 'OPERATOR_FAILED', detail: reason, fixable: !final },
        attemptsAllowed: deps.config.payoutAttempts,
        now,
        logger: deps.logger,
        finisher,
      })
      return outcome.applied ? outcome.payout : undefined
    }
    const resent = await resendPayout(tx, {
      payoutId: id,
      reason,
      vault: deps.vault,
      callbackBaseUrl: deps.config.callbackBaseUrl,
      now,
      finisher,
    })
    return resent?.fresh
  }
}
