import type { PayoutStatus } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { modeName } from '../modes.ts'
import type { RailChannel } from './rail/circuit.ts'
import type { RailProblem } from './rail/classify.ts'
import { RailError } from './rail/rail.ts'

export { backoffMs } from './backoff.ts'

/** What the payout pipeline needs; every sender and handler of the rail's news takes it. */
export type PayoutDeps = Pick<
  AppDeps,
  'db' | 'clock' | 'logger' | 'vault' | 'rails' | 'config' | 'wakeWebhooks' | 'groups'
>

/**
 * Our credentials were refused: stop sending on this mode's rail, say so once, and mark what
 * waits so claims show why. Nothing is failed.
 */
export async function tripCircuit(
  deps: PayoutDeps,
  channel: RailChannel,
  livemode: boolean,
  detail: string,
) {
  const now = deps.clock.now()
  const fresh = channel.circuit.trip(detail, now)
  await deps.db
    .updateTable('payouts')
    .set({ waiting_on: 'rail_credentials' })
    .where('livemode', '=', livemode)
    .where('status', 'in', ['pending', 'unknown'])
    .execute()
  if (fresh) {
    deps.logger.error('ALERT rail credentials refused: payouts paused', {
      alert: 'rail_credentials',
      mode: modeName(livemode),
      rail: channel.name,
      reason: detail,
      action:
        'Check HELLO_CLEVER_APP_ID and HELLO_CLEVER_SECRET_KEY; payouts resume by themselves once a call is accepted.',
    })
  }
}

/** A call got through: if the circuit was open, payouts flow again. */
export async function closeCircuit(deps: PayoutDeps, channel: RailChannel, livemode: boolean) {
  if (!channel.circuit.reset()) return
  await deps.db
    .updateTable('payouts')
    .set({ waiting_on: null })
    .where('livemode', '=', livemode)
    .where('waiting_on', '=', 'rail_credentials')
    .execute()
  deps.logger.warn('rail credentials accepted again: payouts resumed', {
    mode: modeName(livemode),
    rail: channel.name,
  })
}

/** After a refusal that says nothing about the payout, it waits and goes again. */
export async function retryLater(
  deps: PayoutDeps,
  input: {
    payoutId: string
    workerId: string
    status: PayoutStatus
    waitingOn: 'rail_funds' | 'rail_retry' | 'rail_credentials'
    reason: string
    waitMs: number
  },
) {
  const now = deps.clock.now()
  await deps.db
    .updateTable('payouts')
    .set({
      status: input.status,
      waiting_on: input.waitingOn,
      failure_reason: input.reason,
      next_attempt_at: new Date(now.getTime() + input.waitMs),
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    })
    .where('id', '=', input.payoutId)
    .where('status', '=', 'sent')
    .where('lease_owner', '=', input.workerId)
    .execute()
}

/** What went wrong with a call: the rail's classified answer, or a fault of ours (logged). */
export function problemOf(error: unknown, log: PayoutDeps['logger']): RailProblem {
  if (error instanceof RailError) return error.problem
  log.error('rail call failed', { error })
  return { kind: 'unknown', detail: 'the request could not be made' }
}
