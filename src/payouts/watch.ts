import { sql } from 'kysely'
import { modeName } from '../modes.ts'
import type { PayoutDeps } from './after-call.ts'

const LOST_SUFFIX =
  " was being sent when its sender stopped; look it up by external_id in Hello Clever's portal."

/** The most payouts one alert line names; the attention list has them all. */
const NAMED = 20

/**
 * Run beside the expiry sweep (every SWEEP_INTERVAL_MS). Tells the operator, once per condition, about payouts that need them or wait too long: an
 * accepted payout with no callback after RAIL_CONFIRMATION_ALERT_MINUTES (Hello Clever gives up
 * on a callback after three retries 15 minutes apart and documents no way to ask), a batch whose
 * sender died mid-call, a payout held for a person, a payout waiting for the merchant balance.
 * Each is an `ALERT` log line naming what to look up in Hello Clever's portal; all of them are
 * listed at `GET /operator/payouts/attention`. Returns how many payouts it marked.
 */
export async function watchPayouts(deps: PayoutDeps): Promise<number> {
  const now = deps.clock.now()
  const silentSince = new Date(now.getTime() - deps.config.confirmationAlertMs)

  const silent = await deps.db
    .updateTable('payouts')
    .set({ waiting_on: 'rail_confirmation', alerted_at: now })
    .where('status', '=', 'processing')
    .where('updated_at', '<', silentSince)
    .where('alerted_at', 'is', null)
    .returning(['id', 'livemode', 'rail_api', 'withdrawal_id', 'batch_id', 'rail_transaction_id'])
    .execute()
  if (silent.length > 0) {
    deps.logger.error('ALERT payouts accepted by the rail have had no callback', {
      alert: 'rail_confirmation',
      count: silent.length,
      minutes: deps.config.confirmationAlertMs / 60_000,
      payouts: silent.slice(0, NAMED).map((p) => ({
        payout_id: p.id,
        mode: modeName(p.livemode),
        ...(p.rail_api === 'payouts_v1'
          ? { batch_external_id: p.batch_id, transaction_id: p.rail_transaction_id }
          : { client_transaction_id: p.id, withdrawal_id: p.withdrawal_id }),
      })),
      action:
        'Look each up in Hello Clever’s portal, then POST /operator/payouts/{id}/resolve with what it says.',
    })
  }

  // A sender that died mid-call left its batch's fate unknown; nothing may send it again. Its
  // payouts are found by their own lease, so a sender stopped between statements leaves none.
  await deps.db
    .updateTable('payout_batches')
    .set({ status: 'unknown', lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('status', '=', 'sending')
    .where('lease_expires_at', '<=', now)
    .execute()
  const lost = await deps.db
    .updateTable('payouts')
    .set({
      status: 'held',
      waiting_on: 'operator',
      failure_code: 'BATCH_ANSWER_LOST',
      failure_reason: sql<string>`${'Batch '}::text || batch_id::text || ${LOST_SUFFIX}::text`,
      alerted_at: null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    })
    .where('status', '=', 'sent')
    .where('rail_api', '=', 'payouts_v1')
    .where('lease_expires_at', '<=', now)
    .executeTakeFirst()
  const heldLost = Number(lost.numUpdatedRows)

  const needs = await deps.db
    .updateTable('payouts')
    .set({ alerted_at: now })
    .where('alerted_at', 'is', null)
    .where((w) =>
      w.or([
        w('status', '=', 'held'),
        // A final payout has no waiting_on: finishing one clears it.
        w('waiting_on', '=', 'rail_funds'),
      ]),
    )
    .returning(['id', 'livemode', 'status', 'failure_code', 'failure_reason', 'batch_id'])
    .execute()
  const held = needs.filter((p) => p.status === 'held')
  const short = needs.filter((p) => p.status !== 'held')
  if (held.length > 0) {
    deps.logger.error('ALERT payouts held for the operator', {
      alert: 'held',
      count: held.length,
      payouts: held.slice(0, NAMED).map((p) => ({
        payout_id: p.id,
        mode: modeName(p.livemode),
        code: p.failure_code,
        reason: p.failure_reason,
      })),
      action: 'See GET /operator/payouts/attention, then resolve each.',
    })
  }
  if (short.length > 0) {
    deps.logger.error('ALERT the rail’s merchant balance is short (HC_PAYOUT1)', {
      alert: 'rail_funds',
      count: short.length,
      modes: [...new Set(short.map((p) => modeName(p.livemode)))],
      action: 'Top up the balance in Hello Clever’s dashboard; the payouts go by themselves.',
    })
  }
  return silent.length + heldLost + needs.length
}
