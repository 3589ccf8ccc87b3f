import { constantTimeEqual, sha256Hex } from '../crypto/bytes.ts'
import type { Payout } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { bearerToken } from '../keys/auth.ts'
import { majorToMinor } from '../money.ts'
import type { PayoutDeps } from './after-call.ts'
import { applyBatchReport } from './batch-report.ts'
import { failForAccount, settlePayout } from './outcome.ts'
import { classifyReportedFailure } from './rail/classify.ts'
import { parseBatchReport } from './rail/hello-clever.ts'
import { findPayout, holdPayout, RAIL_FINISHABLE } from './repository.ts'
import { resendForFunds } from './resend.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const unauthorized = () =>
  new DomainError('unauthorized', { message: 'This callback is not signed for this payout.' })

/** Checks a callback's token against the hash stored for what it names, in constant time. */
async function tokenMatches(authorization: string | undefined, expectedSha256: string | undefined) {
  const token = bearerToken(authorization)
  const presented = await sha256Hex(token ?? '')
  return Boolean(token && expectedSha256 && constantTimeEqual(presented, expectedSha256))
}

export async function authenticateCallback(
  deps: Pick<AppDeps, 'db'>,
  payoutId: string,
  authorization: string | undefined,
) {
  const payout = UUID.test(payoutId) ? await findPayout(deps.db, payoutId) : undefined
  if (!(await tokenMatches(authorization, payout?.callback_token_sha256)) || !payout) {
    throw unauthorized()
  }
  return payout
}

export async function authenticateBatchCallback(
  deps: Pick<AppDeps, 'db'>,
  batchId: string,
  authorization: string | undefined,
) {
  const batch = UUID.test(batchId)
    ? await deps.db
        .selectFrom('payout_batches')
        .select(['id', 'callback_token_sha256'])
        .where('id', '=', batchId)
        .executeTakeFirst()
    : undefined
  if (!(await tokenMatches(authorization, batch?.callback_token_sha256)) || !batch) {
    throw unauthorized()
  }
  return batch
}

export type CallbackResult = 'settled' | 'failed' | 'resent' | 'held' | 'ignored'

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What a withdraw callback says that must agree with the payout, or why it does not. */
function contradiction(
  payout: { withdrawal_id: string | null; amount_minor: bigint; currency: string },
  fields: Json,
): string | undefined {
  const withdrawalId = typeof fields.withdrawal_id === 'string' ? fields.withdrawal_id : undefined
  if (payout.withdrawal_id && withdrawalId && withdrawalId !== payout.withdrawal_id) {
    return `withdrawal_id ${withdrawalId} is not the payout's ${payout.withdrawal_id}`
  }
  if (fields.amount !== undefined && majorToMinor(fields.amount) !== payout.amount_minor) {
    return `amount ${String(fields.amount)} is not the payout's ${payout.amount_minor} minor units`
  }
  const detail = isObject(fields.cashback_transaction_detail)
    ? fields.cashback_transaction_detail
    : {}
  const currency = fields.currency ?? detail.currency
  if (currency !== undefined && currency !== payout.currency) {
    return `currency ${String(currency)} is not the payout's ${payout.currency}`
  }
  return undefined
}

/**
 * Applies Hello Clever's news about a withdrawal through the state machine. Repeated, late and
 * out-of-order callbacks find the payout already final and change nothing. The callback must
 * agree with the payout (its withdrawal id, amount and currency); one that does not is held
 * for a person and settles nothing.
 */
export async function applyRailCallback({
  deps,
  payoutId,
  body,
  payout: authenticated,
}: {
  deps: PayoutDeps
  payoutId: string
  body: unknown
  /** The payout as authentication read it just now, so it is not read twice. */
  payout?: Payout
}): Promise<CallbackResult> {
  const fields = isObject(body) ? body : {}
  const status = typeof fields.status === 'string' ? fields.status : undefined
  const withdrawalId = typeof fields.withdrawal_id === 'string' ? fields.withdrawal_id : undefined
  const log = deps.logger.child({ payout_id: payoutId })
  // The URL and its token already name the payout; Hello Clever's own example echoes a
  // different client_transaction_id than it was sent, so a mismatch is noted, not fatal.
  if (fields.client_transaction_id !== undefined && fields.client_transaction_id !== payoutId) {
    log.warn('rail callback names another client_transaction_id')
  }
  const payout = authenticated ?? (await findPayout(deps.db, payoutId))
  if (!payout || (status !== 'settled' && status !== 'failed')) {
    log.info('rail callback without a final status', { status: String(status) })
    return 'ignored'
  }
  const now = deps.clock.now()
  if (payout.status === 'held' && payout.failure_code === 'REFUSED_AFTER_LOST_ANSWER') {
    // Held only for want of news: the rail's own word on the withdrawal is that news.
    await deps.db
      .updateTable('payouts')
      .set({ status: 'processing', waiting_on: null, failure_code: null })
      .where('id', '=', payoutId)
      .where('status', '=', 'held')
      .execute()
    payout.status = 'processing'
  }
  // A person decides a held payout (held now, or since this callback read it): what the rail
  // says is kept for them to read. A payout already final is left as it is.
  const keepForOperator = async () => {
    const kept = await deps.db
      .updateTable('payouts')
      .set({ rail_status: status, updated_at: now })
      .where('id', '=', payoutId)
      .where('status', '=', 'held')
      .executeTakeFirst()
    if (kept.numUpdatedRows > 0n) {
      log.warn('rail callback for a held payout kept for the operator', { status })
    }
    return 'ignored' as const
  }
  if (payout.status === 'held') return keepForOperator()
  const wrong = contradiction(payout, fields)
  if (wrong) {
    const held = await holdPayout(deps.db, {
      payoutId,
      code: 'CALLBACK_MISMATCH',
      reason: `A ${status} callback does not match the payout: ${wrong}.`,
      railStatus: status,
      now,
      from: RAIL_FINISHABLE,
    })
    log.error('rail callback does not match its payout; held for the operator', { wrong })
    // Held meanwhile by the worker (its answer did not match either): keep this news too.
    return held ? 'held' : keepForOperator()
  }
  const finisher = { by: 'rail' } as const
  if (status === 'settled') {
    const outcome = deps.groups
      ? await deps.groups.settlements({ id: payoutId, withdrawalId })
      : await withTx(deps.db, (tx) =>
          settlePayout(tx, { payoutId, withdrawalId, now, logger: deps.logger, finisher }),
        )
    return outcome.applied ? 'settled' : keepForOperator()
  }
  const problem = classifyReportedFailure(
    typeof fields.error_code === 'string' ? fields.error_code : undefined,
    typeof fields.error_message === 'string' ? fields.error_message : undefined,
  )
  if (problem.kind === 'destination') {
    return (await failForAccount(deps, payoutId, problem)).applied ? 'failed' : keepForOperator()
  }
  if (problem.kind === 'merchant_balance') {
    // A new payout, since this one's client_transaction_id is spent at the rail.
    const resent = await resendForFunds(deps, payout, problem.detail, 'failed')
    return resent ? 'resent' : 'ignored'
  }
  const held = await holdPayout(deps.db, {
    payoutId,
    code: 'RAIL_FAILED',
    reason: `Hello Clever reported withdrawal ${withdrawalId ?? payout.withdrawal_id ?? '(no id)'} failed: ${problem.detail}`,
    railStatus: 'failed',
    withdrawalId,
    now,
    from: RAIL_FINISHABLE,
  })
  return held ? 'held' : 'ignored'
}

/** A v1 batch callback: the whole PayoutObject, applied line by line. */
export async function applyBatchCallback({
  deps,
  batchId,
  body,
}: {
  deps: PayoutDeps
  batchId: string
  body: unknown
}): Promise<{ applied: number; held: boolean } | 'ignored'> {
  const report = parseBatchReport(body)
  if (!report) {
    deps.logger.warn('batch callback without a payout object', { batch_id: batchId })
    return 'ignored'
  }
  return applyBatchReport(deps, { batchId, report })
}
