import { type RawBuilder, sql } from 'kysely'
import { applyTransition } from '../claims/lifecycle.ts'
import { randomToken, sha256Hex } from '../crypto/bytes.ts'
import type { Payout } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import {
  backoffMs,
  closeCircuit,
  type PayoutDeps,
  problemOf,
  retryLater,
  tripCircuit,
} from './after-call.ts'
import { applyBatchReport } from './batch-report.ts'
import { failPayout } from './outcome.ts'
import type { RailChannel } from './rail/circuit.ts'
import type { RailProblem } from './rail/classify.ts'
import type { BatchLine } from './rail/rail.ts'
import { holdPayout } from './repository.ts'
import { openRequest } from './request.ts'

/** Refusals nobody classified are tried this many times, then left for a person. */
const UNKNOWN_CALLS = 5

export function batchCallbackUrl(base: string, batchId: string): string {
  return `${base}/rail/hello-clever/batches/${batchId}`
}

/**
 * Gathers the due payouts of one mode into one v1 batch (`POST /v1/payouts`): one request for
 * many payouts. The batch row and its payouts are written before the call, each payout with its
 * line number, since the document gives a line no id of ours. A batch whose answer is lost is
 * never sent again by code: nothing documented stops Hello Clever from paying it twice, so its
 * payouts wait for its callback or for a person.
 */
export async function sendBatch(
  deps: PayoutDeps,
  input: { channel: RailChannel; livemode: boolean; workerId: string; limit: number },
): Promise<number> {
  const now = deps.clock.now()
  const batchId = crypto.randomUUID()
  const token = randomToken(32)
  const tokenSha256 = await sha256Hex(token)
  const leaseMs = deps.config.railTimeoutMs + 30_000
  const leased = await withTx(deps.db, async (tx) => {
    const due = await tx
      .selectFrom('payouts')
      .select(['id', 'amount_minor'])
      .where('livemode', '=', input.livemode)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(input.limit)
      .forUpdate()
      .skipLocked()
      .execute()
    if (due.length === 0) return []
    const leaseExpiresAt = new Date(now.getTime() + leaseMs)
    await tx
      .insertInto('payout_batches')
      .values({
        id: batchId,
        livemode: input.livemode,
        status: 'sending',
        callback_token_sha256: tokenSha256,
        payout_count: due.length,
        total_minor: due.reduce((sum, p) => sum + p.amount_minor, 0n),
        lease_owner: input.workerId,
        lease_expires_at: leaseExpiresAt,
        created_at: now,
        updated_at: now,
      })
      .execute()
    const lineOf: RawBuilder<number> = sql`case payouts.id ${sql.join(
      due.map((p, line) => sql`when ${p.id}::uuid then ${line}::integer`),
      sql` `,
    )} end`
    return tx
      .updateTable('payouts')
      .set((eb) => ({
        status: 'sent',
        rail_api: 'payouts_v1',
        batch_id: batchId,
        batch_line: lineOf,
        rail_transaction_id: null,
        waiting_on: null,
        lease_owner: input.workerId,
        lease_expires_at: leaseExpiresAt,
        rail_calls: eb('rail_calls', '+', 1),
        updated_at: now,
      }))
      .where(
        'id',
        'in',
        due.map((p) => p.id),
      )
      .returningAll()
      .execute()
  })
  if (leased.length === 0) return 0
  leased.sort((a, b) => (a.batch_line ?? 0) - (b.batch_line ?? 0))
  await callRail(deps, input, batchId, token, leased)
  return leased.length
}

async function callRail(
  deps: PayoutDeps,
  input: { channel: RailChannel; livemode: boolean; workerId: string },
  batchId: string,
  token: string,
  payouts: Payout[],
) {
  const log = deps.logger.child({ batch_id: batchId, payouts: payouts.length })
  let problem: RailProblem
  try {
    const lines: BatchLine[] = []
    for (const payout of payouts) {
      const { destination } = await openRequest(deps.vault, payout.request_jwe)
      lines.push({
        payee:
          destination.type === 'bank'
            ? destination.account_name
            : `Cashout claim ${payout.claim_id.slice(0, 8)}`,
        amountMinor: payout.amount_minor,
        destination,
      })
    }
    const report = await input.channel.rail.createBatch({
      externalId: batchId,
      description: `Cashout payouts ${batchId.slice(0, 8)}`,
      lines,
      callbackUrl: batchCallbackUrl(deps.config.callbackBaseUrl, batchId),
      callbackAuthorization: `Bearer ${token}`,
    })
    await closeCircuit(deps, input.channel, input.livemode)
    log.info('batch accepted by the rail', { rail_batch: report.uuid, status: report.status })
    await applyBatchReport(deps, { batchId, report, answer: { workerId: input.workerId, lines } })
    return
  } catch (error) {
    problem = problemOf(error, log)
  }
  await recordProblem(deps, input, batchId, payouts, problem, log)
}

/** The batch's payouts still in this worker's hands are with the rail now. */
async function acceptLost(deps: PayoutDeps, batchId: string, workerId: string) {
  const now = deps.clock.now()
  await withTx(deps.db, async (tx) => {
    const moved = await tx
      .updateTable('payouts')
      .set({ status: 'processing', lease_owner: null, lease_expires_at: null, updated_at: now })
      .where('batch_id', '=', batchId)
      .where('status', '=', 'sent')
      .where('lease_owner', '=', workerId)
      .returning('claim_id')
      .execute()
    await applyTransition(tx, {
      name: 'accept',
      changes: moved.map(({ claim_id }) => ({ claimId: claim_id })),
      now,
    })
  })
}

/** What the failure table says to do with a refused or unanswered batch. */
async function recordProblem(
  deps: PayoutDeps,
  input: { channel: RailChannel; livemode: boolean; workerId: string },
  batchId: string,
  payouts: Payout[],
  problem: RailProblem,
  log: PayoutDeps['logger'],
) {
  const { workerId } = input
  const now = deps.clock.now()
  const ambiguous = problem.kind === 'unavailable' && !problem.notReceived
  const marked = await deps.db
    .updateTable('payout_batches')
    .set({
      status: ambiguous ? 'unknown' : 'refused',
      error_code: problem.code ?? null,
      error_message: problem.detail,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    })
    .where('id', '=', batchId)
    .where('status', '=', 'sending')
    .executeTakeFirst()
  if (ambiguous && marked.numUpdatedRows === 0n) {
    // A callback about this batch came before its answer: it exists, and its payouts are the
    // rail's. Whatever the callback did not finish waits for the next one.
    log.warn('batch answer lost, but its callback already came', { reason: problem.detail })
    await acceptLost(deps, batchId, workerId)
    return
  }
  if (ambiguous) {
    // The batch may exist at Hello Clever; its callback (if it comes) resumes these payouts.
    log.error('batch answer lost; its payouts wait for its callback or the operator', {
      reason: problem.detail,
    })
    for (const payout of payouts) {
      await holdPayout(deps.db, {
        payoutId: payout.id,
        code: 'BATCH_ANSWER_LOST',
        reason: `No answer to batch ${batchId} (${problem.detail}); look it up by external_id in Hello Clever's portal.`,
        now,
        from: ['sent'],
        workerId,
      })
    }
    return
  }
  const refusedLine = problem.kind === 'destination' ? problem.line : undefined
  for (const payout of payouts) {
    if (refusedLine !== undefined && payout.batch_line === refusedLine) {
      await withTx(deps.db, (tx) =>
        failPayout(tx, {
          payoutId: payout.id,
          failure: {
            code: 'DESTINATION_REFUSED',
            detail: problem.detail,
            fixable: !problem.final,
            ...(problem.kind === 'destination' && problem.field ? { field: problem.field } : {}),
          },
          attemptsAllowed: deps.config.payoutAttempts,
          now,
          logger: deps.logger,
          finisher: { by: 'worker', workerId },
        }),
      )
      continue
    }
    const unplaced = problem.kind === 'unknown' || problem.kind === 'destination'
    if (unplaced && payout.rail_calls >= UNKNOWN_CALLS) {
      await holdPayout(deps.db, {
        payoutId: payout.id,
        code: problem.code ?? 'RAIL_REFUSED',
        reason: problem.detail,
        now,
        from: ['sent'],
        workerId,
      })
      continue
    }
    // The whole batch was refused, so none of it reached the rail: each payout goes again.
    const waitingOn =
      problem.kind === 'credentials'
        ? 'rail_credentials'
        : problem.kind === 'merchant_balance'
          ? 'rail_funds'
          : 'rail_retry'
    const others = refusedLine !== undefined
    await retryLater(deps, {
      payoutId: payout.id,
      workerId,
      status: 'pending',
      waitingOn,
      reason: problem.detail,
      waitMs: problem.kind === 'credentials' || others ? 0 : backoffMs(payout.rail_calls),
    })
  }
  if (problem.kind === 'credentials') {
    await tripCircuit(deps, input.channel, input.livemode, problem.detail)
  } else if (refusedLine === undefined) {
    log.warn('batch refused by the rail; its payouts go again', {
      kind: problem.kind,
      reason: problem.detail,
    })
  }
}
