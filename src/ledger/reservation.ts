import type { Claim, Tx } from '../db/schema.ts'
import { providerAccounts } from './accounts.ts'
import { checkFloatAlert } from './float-alert.ts'
import { transfer } from './transfer.ts'

const scopeOfClaim = (claim: Claim) => ({ providerId: claim.provider_id, livemode: claim.livemode })

/**
 * Moves a claim's amount from the provider's available float to reserved. True when this took
 * the float under the provider's threshold and queued `float.low` (the caller may wake the
 * webhook worker after commit; otherwise its next tick sends it).
 */
export async function reserveForClaim(tx: Tx, claim: Claim, now: Date): Promise<boolean> {
  const scope = scopeOfClaim(claim)
  const { available, reserved } = await providerAccounts(tx, scope, claim.currency)
  await transfer(tx, {
    providerId: claim.provider_id,
    livemode: claim.livemode,
    from: available.id,
    to: reserved.id,
    amount: claim.reserved_minor,
    kind: 'reserve',
    claimId: claim.id,
    now,
  })
  return checkFloatAlert(tx, { scope, accountId: available.id, move: 'down', now })
}

/** Pays a settled claim out of its reservation: the net to paid out, the fee to fees. */
export async function settleForClaim(tx: Tx, claim: Claim, now: Date) {
  const { reserved, platform } = await providerAccounts(tx, scopeOfClaim(claim), claim.currency)
  await transfer(tx, {
    providerId: claim.provider_id,
    livemode: claim.livemode,
    from: reserved.id,
    to: platform.paid_out,
    amount: claim.net_minor,
    kind: 'payout',
    claimId: claim.id,
    now,
  })
  if (claim.fee_minor > 0n) {
    await transfer(tx, {
      providerId: claim.provider_id,
      livemode: claim.livemode,
      from: reserved.id,
      to: platform.fees,
      amount: claim.fee_minor,
      kind: 'fee',
      claimId: claim.id,
      now,
    })
  }
}

/** Gives a claim's reservation back to the available float (expiry, cancellation, failure). */
export async function releaseForClaim(tx: Tx, claim: Claim, now: Date) {
  const scope = scopeOfClaim(claim)
  const { available, reserved } = await providerAccounts(tx, scope, claim.currency)
  await transfer(tx, {
    providerId: claim.provider_id,
    livemode: claim.livemode,
    from: reserved.id,
    to: available.id,
    amount: claim.reserved_minor,
    kind: 'release',
    claimId: claim.id,
    now,
  })
  // A release only raises the float: it can re-arm the low-float alert, never send one.
  await checkFloatAlert(tx, { scope, accountId: available.id, move: 'up', now })
}
