import { constantTimeEqual, sha256Hex } from '../crypto/bytes.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { bearerToken } from '../keys/auth.ts'
import { classifyFailure, failPayout, settlePayout } from './outcome.ts'
import { findPayout } from './repository.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Checks the callback's token against the payout's stored hash, in constant time. */
export async function authenticateCallback(
  deps: Pick<AppDeps, 'db'>,
  payoutId: string,
  authorization: string | undefined,
) {
  const token = bearerToken(authorization)
  const payout = UUID.test(payoutId) ? await findPayout(deps.db, payoutId) : undefined
  const presented = await sha256Hex(token ?? '')
  if (!token || !payout || !constantTimeEqual(presented, payout.callback_token_sha256)) {
    throw new DomainError('unauthorized', {
      message: 'This callback is not signed for this payout.',
    })
  }
  return payout
}

export type CallbackResult = 'settled' | 'failed' | 'ignored'

/**
 * Applies Hello Clever's news about a payout through the state machine. Repeated, late and
 * out-of-order callbacks find the payout already final and change nothing.
 */
export async function applyRailCallback({
  deps,
  payoutId,
  body,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'config' | 'wakeWebhooks'>
  payoutId: string
  body: unknown
}): Promise<CallbackResult> {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const status = fields.status
  const withdrawalId = typeof fields.withdrawal_id === 'string' ? fields.withdrawal_id : undefined
  // The URL and its token already name the payout; Hello Clever's own example echoes a
  // different client_transaction_id than it was sent, so a mismatch is noted, not fatal.
  if (fields.client_transaction_id !== undefined && fields.client_transaction_id !== payoutId) {
    deps.logger.warn('rail callback names another client_transaction_id', { payout_id: payoutId })
  }
  const now = deps.clock.now()
  if (status === 'settled') {
    const outcome = await withTx(deps.db, (tx) =>
      settlePayout(tx, { payoutId, withdrawalId, now, logger: deps.logger }),
    )
    if (outcome.applied) deps.wakeWebhooks?.()
    return outcome.applied ? 'settled' : 'ignored'
  }
  if (status === 'failed') {
    const failure = classifyFailure(
      typeof fields.error_code === 'string' ? fields.error_code : undefined,
      typeof fields.error_message === 'string' ? fields.error_message : undefined,
    )
    const outcome = await withTx(deps.db, (tx) =>
      failPayout(tx, {
        payoutId,
        failure,
        attemptsAllowed: deps.config.payoutAttempts,
        now,
        logger: deps.logger,
      }),
    )
    if (outcome.applied) deps.wakeWebhooks?.()
    return outcome.applied ? 'failed' : 'ignored'
  }
  deps.logger.info('rail callback without a final status', {
    payout_id: payoutId,
    status: String(status),
  })
  return 'ignored'
}
