import { applyTransition } from '../claims/lifecycle.ts'
import { randomToken, sha256Hex } from '../crypto/bytes.ts'
import type { Vault } from '../crypto/vault.ts'
import type { Payout, Tx, WaitingOn } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { backoffMs } from './backoff.ts'
import { type Finisher, finishPayout, insertPayout } from './repository.ts'
import { openRequest, sealRequest } from './request.ts'

/**
 * The rail certainly did not pay this payout (it said so, or a person checked), and nothing is
 * wrong with the account: the payout ends as `RESENT` and a new one, under a new id, takes the
 * same destination to the rail. It does not count against the customer's attempts, and the
 * claim stays in flight (back to `submitted`, since nothing is with the rail now).
 */
export async function resendPayout(
  tx: Tx,
  input: {
    payoutId: string
    reason: string
    vault: Vault
    callbackBaseUrl: string
    now: Date
    finisher: Finisher
    waitingOn?: WaitingOn
    nextAttemptAt?: Date
    railStatus?: string
  },
): Promise<{ old: Payout; fresh: Payout } | undefined> {
  const old = await finishPayout(
    tx,
    input.payoutId,
    {
      status: 'failed',
      failureCode: 'RESENT',
      failureReason: input.reason,
      railStatus: input.railStatus,
    },
    input.now,
    input.finisher,
  )
  if (!old) return undefined
  const sealed = await openRequest(input.vault, old.request_jwe)
  const id = crypto.randomUUID()
  const callbackToken = randomToken(32)
  const fresh = await insertPayout(tx, {
    id,
    claimId: old.claim_id,
    providerId: old.provider_id,
    livemode: old.livemode,
    method: old.method,
    amountMinor: old.amount_minor,
    currency: old.currency,
    requestJwe: await sealRequest(input.vault, { ...sealed, callbackToken }),
    callbackUrl: withdrawCallbackUrl(input.callbackBaseUrl, id),
    callbackTokenSha256: await sha256Hex(callbackToken),
    destinationMasked: old.destination_masked,
    waitingOn: input.waitingOn,
    nextAttemptAt: input.nextAttemptAt,
    now: input.now,
  })
  await applyTransition(tx, {
    name: 'resend',
    changes: [{ claimId: old.claim_id }],
    now: input.now,
  })
  return { old, fresh }
}

/**
 * The rail did not pay for want of its own funds: nothing is wrong with the account, so the
 * same destination goes again as a new payout, after a pause for the balance to be topped up.
 */
export async function resendForFunds(
  deps: Pick<AppDeps, 'db' | 'clock' | 'vault' | 'config'>,
  payout: Pick<Payout, 'id' | 'rail_calls'>,
  detail: string,
  railStatus: string | undefined,
) {
  const now = deps.clock.now()
  return withTx(deps.db, (tx) =>
    resendPayout(tx, {
      payoutId: payout.id,
      reason: detail,
      vault: deps.vault,
      callbackBaseUrl: deps.config.callbackBaseUrl,
      now,
      finisher: { by: 'rail' },
      waitingOn: 'rail_funds',
      nextAttemptAt: new Date(now.getTime() + backoffMs(payout.rail_calls + 2)),
      railStatus,
    }),
  )
}

export function withdrawCallbackUrl(base: string, payoutId: string): string {
  return `${base}/rail/hello-clever/callbacks/${payoutId}`
}
