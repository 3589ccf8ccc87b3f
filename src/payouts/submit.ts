import { expireClaim } from '../claims/expire.ts'
import { applyTransition } from '../claims/lifecycle.ts'
import { findClaim } from '../claims/repository.ts'
import { randomToken, sha256Hex } from '../crypto/bytes.ts'
import type { Claim, Payout } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { Scope } from '../modes.ts'
import { type Destination, maskDestination } from './destination.ts'
import { methodOf } from './rail/hello-clever.ts'
import { insertPayout } from './repository.ts'
import { sealRequest } from './request.ts'
import { withdrawCallbackUrl } from './resend.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'vault' | 'config' | 'wakePayouts' | 'wakeWebhooks'>

/**
 * The customer's choice of where the money goes. One conditional UPDATE moves the claim from
 * open to submitted, and the payout (which is its own job) and `claim.submitted` are written in
 * the same transaction; a second submit, however concurrent, finds the claim no longer open.
 */
export async function submitClaim({
  deps,
  claimId,
  scope,
  destination,
}: {
  deps: Deps
  claimId: string
  /** Given when a provider submits (its key's mode); the hosted page submits by the claim's link. */
  scope?: Scope
  /** Already checked and normalised by DestinationSchema. */
  destination: Destination
}): Promise<{ claim: Claim; payout: Payout }> {
  const payoutId = crypto.randomUUID()
  const callbackToken = randomToken(32)
  const requestJwe = await sealRequest(deps.vault, { destination, callbackToken })
  const tokenSha256 = await sha256Hex(callbackToken)
  const masked = maskDestination(destination)
  const now = deps.clock.now()

  const outcome = await withTx(deps.db, async (tx) => {
    let payout: Payout | undefined
    const [claim] = await applyTransition(tx, {
      name: 'submit',
      changes: [{ claimId, reason: null, details: { destination: masked } }],
      scope,
      now,
      between: async ([moved]) => {
        payout = await insertPayout(tx, {
          id: payoutId,
          claimId,
          providerId: moved?.provider_id as string,
          livemode: moved?.livemode as boolean,
          method: methodOf(destination),
          amountMinor: moved?.net_minor as bigint,
          currency: moved?.currency as string,
          requestJwe,
          callbackUrl: withdrawCallbackUrl(deps.config.callbackBaseUrl, payoutId),
          callbackTokenSha256: tokenSha256,
          destinationMasked: masked,
          now,
        })
        return new Map([[claimId, { payout: { attempt: payout.attempt } }]])
      },
    })
    if (!claim || !payout) {
      const current = await findClaim(tx, claimId, scope)
      if (!current) return { refused: 'missing' as const }
      const expired = current.status === 'open' ? await expireClaim(tx, claimId, now) : undefined
      return { refused: 'not_open' as const, status: expired?.status ?? current.status }
    }
    return { claim, payout }
  })
  if ('refused' in outcome) {
    if (outcome.refused === 'missing') {
      throw new DomainError('not_found', { message: 'There is no claim with that uuid.' })
    }
    throw new DomainError('claim_not_open', {
      message: `This claim is ${outcome.status}; only an open claim can be cashed out.`,
    })
  }
  deps.wakePayouts?.()
  deps.wakeWebhooks?.()
  return outcome
}
