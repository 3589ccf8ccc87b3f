import type { AppDeps } from '../deps.ts'
import { MODES } from '../modes.ts'
import type { PayoutDeps } from './after-call.ts'
import { sendBatch } from './send-batch.ts'
import { sendWithdrawals } from './send-withdrawals.ts'

/** The most payouts one v1 batch carries. */
const BATCH_MAX = 200

/** The mode's way out, or undefined where it has none (live mode under RAIL=sandbox). */
function channelOf(deps: Pick<AppDeps, 'rails'>, livemode: boolean) {
  return livemode ? deps.rails.live : deps.rails.test
}

/**
 * One round of the payout pipeline: for each mode whose rail will take requests, sends what is
 * due through the configured API.
 * Payouts already sent through withdraw stay on withdraw (their id is only good there), so a
 * switch of HELLO_CLEVER_API never sends a payout twice.
 */
export async function runPayoutBatch({
  deps,
  workerId,
  limit = 25,
}: {
  deps: PayoutDeps
  workerId: string
  limit?: number
}): Promise<number> {
  let moved = 0
  for (const livemode of MODES) {
    const channel = channelOf(deps, livemode)
    if (!channel) continue
    const admitted = channel.circuit.admits(deps.clock.now())
    if (admitted === 'open') continue
    // While the circuit is open, one payout at a time probes whether the credentials work.
    const probe = admitted === 'probe'
    const sent = await sendWithdrawals(deps, {
      channel,
      livemode,
      workerId,
      limit: probe ? 1 : limit,
    })
    moved += sent
    if (deps.config.helloCleverApi !== 'payouts_v1' || (probe && sent > 0)) continue
    if (channel.circuit.admits(deps.clock.now()) === 'open') continue
    moved += await sendBatch(deps, { channel, livemode, workerId, limit: probe ? 1 : BATCH_MAX })
  }
  if (moved > 0) deps.wakeWebhooks?.()
  return moved
}
