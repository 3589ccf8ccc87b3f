import { sql } from 'kysely'
import type { Payout } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { PayoutDeps } from './after-call.ts'
import type { Destination } from './destination.ts'
import { failForAccount, markAcceptedMany, settlePayouts } from './outcome.ts'
import { classifyReportedFailure } from './rail/classify.ts'
import type { BatchLine, BatchReport, ReportedLine } from './rail/rail.ts'
import { holdPayout, RAIL_FINISHABLE } from './repository.ts'
import { resendForFunds } from './resend.ts'

const FINAL_BATCH = new Set(['completed', 'expired'])

/**
 * Applies what Hello Clever says about a v1 batch, from the answer to its request or from any
 * of its callbacks (which may repeat, come late or out of order). Everything it reports is
 * first checked against what was sent: the batch's ids, each line's amount (and, on the answer,
 * its destination); a mismatch holds the batch's payouts for a person and settles nothing.
 * Then each line is applied through the state machine: settled, failed (classified by the
 * failure table), or still waiting (and why, if the merchant balance is short).
 */
export async function applyBatchReport(
  deps: PayoutDeps,
  input: {
    batchId: string
    report: BatchReport
    /** Set when this is the answer to our own request: the lines we sent, and who sent them. */
    answer?: { workerId: string; lines: BatchLine[] }
  },
): Promise<{ applied: number; held: boolean }> {
  const { batchId, report, answer } = input
  const now = deps.clock.now()
  const log = deps.logger.child({ batch_id: batchId, rail_batch: report.uuid })
  const batch = await deps.db
    .selectFrom('payout_batches')
    .selectAll()
    .where('id', '=', batchId)
    .executeTakeFirstOrThrow()
  const payouts = await deps.db
    .selectFrom('payouts')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('batch_line')
    .execute()

  const mismatch = checkReport(batch, payouts, report, answer?.lines)
  if (mismatch) {
    log.error('batch report does not match what was sent; held for the operator', { mismatch })
    await deps.db
      .updateTable('payout_batches')
      .set({ status: 'held', rail_status: report.status ?? null, updated_at: now })
      .where('id', '=', batchId)
      .execute()
    for (const payout of payouts) {
      await holdPayout(deps.db, {
        payoutId: payout.id,
        code: 'BATCH_MISMATCH',
        reason: `Hello Clever's report of batch ${batchId} does not match it: ${mismatch}`,
        railStatus: report.status,
        now,
        from: RAIL_FINISHABLE,
      })
    }
    return { applied: 0, held: true }
  }

  await deps.db
    .updateTable('payout_batches')
    .set((eb) => ({
      status:
        report.status && FINAL_BATCH.has(report.status)
          ? (report.status as 'completed' | 'expired')
          : 'accepted',
      rail_batch_uuid: eb.fn.coalesce('rail_batch_uuid', eb.val(report.uuid ?? null)),
      rail_batch_id: eb.fn.coalesce('rail_batch_id', eb.val(report.id ?? null)),
      rail_status: report.status ?? null,
      error_code: report.errorCode ?? null,
      error_message: report.errorMessage ?? null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    }))
    .where('id', '=', batchId)
    .where('status', 'not in', ['held', 'completed'])
    .execute()
  // A batch whose answer was lost is known to exist now: its payouts are the rail's again.
  await deps.db
    .updateTable('payouts')
    .set({ status: 'processing', waiting_on: null, failure_code: null, alerted_at: null })
    .where('batch_id', '=', batchId)
    .where('status', '=', 'held')
    .where('failure_code', '=', 'BATCH_ANSWER_LOST')
    .execute()

  // Set-based: the answer's acceptance, the rail's line ids and every settled line take a
  // statement or a transaction each, whatever the batch's size; other lines go one by one.
  const lined = payouts.flatMap((payout) => {
    const line = report.lines[payout.batch_line ?? -1]
    return line ? [{ payout, line }] : []
  })
  if (answer) {
    await withTx(deps.db, (tx) =>
      markAcceptedMany(tx, {
        payouts: lined.map(({ payout, line }) => ({
          id: payout.id,
          rail_transaction_id: line.id ?? null,
        })),
        workerId: answer.workerId,
        now,
        clearWaiting: false,
      }),
    )
  }
  const railIds = lined.filter(({ payout, line }) => line.id && !payout.rail_transaction_id)
  if (railIds.length > 0) {
    const rows = JSON.stringify(
      railIds.map(({ payout, line }) => ({ id: payout.id, rid: line.id })),
    )
    await sql`
      update payouts as p set rail_transaction_id = v.rid
      from json_to_recordset(${rows}::json) as v(id uuid, rid text)
      where p.id = v.id and p.id = any(array(select (x->>'id')::uuid from json_array_elements(${rows}::json) as x))
        and p.rail_transaction_id is null`.execute(deps.db)
  }
  const settled = lined.filter(({ line }) => line.status === 'settled')
  let applied = 0
  if (settled.length > 0) {
    const outcomes = await withTx(deps.db, (tx) =>
      settlePayouts(tx, {
        payouts: settled.map(({ payout }) => ({ id: payout.id })),
        now,
        logger: deps.logger,
        finisher: { by: 'rail' },
      }),
    )
    applied += outcomes.length
  }
  for (const { payout, line } of lined) {
    if (line.status === 'settled') continue
    if (await applyLine(deps, payout, line, report, answer !== undefined)) applied++
  }
  return { applied, held: false }
}

/** One line's news: settled, failed, or still on its way (perhaps waiting for funds). */
async function applyLine(
  deps: PayoutDeps,
  payout: Payout,
  line: ReportedLine,
  report: BatchReport,
  /** The answer to our request: older news than any callback that may already have come. */
  fromAnswer: boolean,
): Promise<boolean> {
  const now = deps.clock.now()
  const expired = report.status === 'expired'
  if (line.status === 'failed' || (expired && line.status !== 'settled')) {
    // A line's own reason first; an expired batch's reason (HC_PAYOUT1) for lines without one.
    const problem =
      line.errorCode || line.errorMessage
        ? classifyReportedFailure(line.errorCode, line.errorMessage)
        : classifyReportedFailure(report.errorCode, report.errorMessage)
    if (problem.kind === 'merchant_balance') {
      const resent = await resendForFunds(
        deps,
        payout,
        problem.detail,
        line.status ?? report.status,
      )
      return resent !== undefined
    }
    if (problem.kind === 'destination') {
      return (await failForAccount(deps, payout.id, problem)).applied
    }
    const held = await holdPayout(deps.db, {
      payoutId: payout.id,
      code: 'RAIL_FAILED',
      reason: `Hello Clever reported line ${payout.batch_line} of batch ${payout.batch_id} failed: ${problem.detail}`,
      railStatus: line.status ?? report.status,
      now,
      from: RAIL_FINISHABLE,
    })
    return held !== undefined
  }
  // Still on its way. A batch short of balance (sent with is_retry) waits at Hello Clever;
  // a later report without the code says the wait is over (the answer is never later).
  const waitingOn = report.errorCode === 'HC_PAYOUT1' ? 'rail_funds' : null
  if (waitingOn === null && fromAnswer) return false
  await deps.db
    .updateTable('payouts')
    .set({ waiting_on: waitingOn })
    .where('id', '=', payout.id)
    .where('status', 'in', ['sent', 'processing'])
    .where((w) => w.or([w('waiting_on', 'is', null), w('waiting_on', '=', 'rail_funds')]))
    .execute()
  return false
}

/** What in a report contradicts the batch as sent; undefined when it all agrees. */
function checkReport(
  batch: { id: string; rail_batch_uuid: string | null; payout_count: number; total_minor: bigint },
  payouts: Payout[],
  report: BatchReport,
  sent: BatchLine[] | undefined,
): string | undefined {
  if (report.externalId !== undefined && report.externalId !== batch.id) {
    return `external_id ${report.externalId} is not this batch`
  }
  if (batch.rail_batch_uuid && report.uuid && report.uuid !== batch.rail_batch_uuid) {
    return `uuid ${report.uuid} is not the batch's ${batch.rail_batch_uuid}`
  }
  if (report.lines.length !== batch.payout_count) {
    return `${report.lines.length} lines reported, ${batch.payout_count} sent`
  }
  if (report.totalMinor !== undefined && report.totalMinor !== batch.total_minor) {
    return `total ${report.totalMinor} minor units reported, ${batch.total_minor} sent`
  }
  for (const payout of payouts) {
    const at = payout.batch_line ?? -1
    const line = report.lines[at]
    if (!line) return `line ${at} is missing`
    if (line.amountMinor !== payout.amount_minor) {
      return `line ${at} is for ${line.amountMinor ?? 'an unreadable amount'} minor units, ${payout.amount_minor} sent`
    }
    if (payout.rail_transaction_id && line.id && line.id !== payout.rail_transaction_id) {
      return `line ${at} has id ${line.id}, not ${payout.rail_transaction_id}`
    }
    const destination = sent?.[at]?.destination
    if (destination && !sameDestination(destination, line)) {
      return `line ${at} names another destination than was sent`
    }
  }
  return undefined
}

function sameDestination(d: Destination, line: ReportedLine): boolean {
  if (d.type === 'payid') return line.payid === undefined || line.payid === d.payid
  return (
    (line.bsb === undefined || line.bsb === d.bsb) &&
    (line.accountNumber === undefined || line.accountNumber === d.account_number)
  )
}
