import { type Actor, recordAudit } from '../audit/record.ts'
import type { Payout, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { failPayout, settlePayout } from '../payouts/outcome.ts'
import { findPayout } from '../payouts/repository.ts'
import { resendPayout } from '../payouts/resend.ts'

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
 * the new one); a payout already final is `payout_final`.
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
    const before = await findPayout(tx, payoutId)
    if (!before) throw new DomainError('not_found', { message: 'There is no payout with that id.' })
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
