import { expireClaim } from '../claims/expire.ts'
import { applyTransition } from '../claims/lifecycle.ts'
import { findClaim } from '../claims/repository.ts'
import { randomToken, sha256Hex } from '../crypto/bytes.ts'
import { grouped } from '../db/group.ts'
import type { Claim, Payout, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { Scope } from '../modes.ts'
import { type Destination, maskDestination } from './destination.ts'
import { methodOf } from './rail/hello-clever.ts'
import { insertPayouts, type NewPayout } from './repository.ts'
import { sealRequest } from './request.ts'
import { withdrawCallbackUrl } from './resend.ts'

type Deps = Pick<
  AppDeps,
  'db' | 'clock' | 'vault' | 'config' | 'wakePayouts' | 'wakeWebhooks' | 'groups'
>

/** A submit ready to be written: the claim, and its payout with everything sealed. */
export interface SubmitDraft {
  claimId: string
  scope?: Scope
  payoutId: string
  method: NewPayout['method']
  requestJwe: string
  callbackUrl: string
  callbackTokenSha256: string
  masked: Record<string, string>
}

export type Submitted = { claim: Claim; payout: Payout } | undefined

/**
 * The customer's choice of where the money goes. One conditional UPDATE moves the claim from
 * open to submitted, and the payout (which is its own job) and `claim.submitted` are written in
 * the same transaction; a second submit, however concurrent, finds the claim no longer open.
 * Under load, submits arriving together share that transaction (see `submitGroup`).
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
  const draft: SubmitDraft = {
    claimId,
    scope,
    payoutId,
    method: methodOf(destination),
    requestJwe: await sealRequest(deps.vault, { destination, callbackToken }),
    callbackUrl: withdrawCallbackUrl(deps.config.callbackBaseUrl, payoutId),
    callbackTokenSha256: await sha256Hex(callbackToken),
    masked: maskDestination(destination),
  }
  const submitted = deps.groups
    ? await deps.groups.submits(draft)
    : (await withTx(deps.db, (tx) => writeSubmits(tx, [draft], deps.clock.now())))[0]
  if (!submitted) {
    const now = deps.clock.now()
    const current = await findClaim(deps.db, claimId, scope)
    if (!current)
      throw new DomainError('not_found', { message: 'There is no claim with that uuid.' })
    const expired =
      current.status === 'open'
        ? await withTx(deps.db, (tx) => expireClaim(tx, claimId, now))
        : undefined
    throw new DomainError('claim_not_open', {
      message: `This claim is ${expired?.status ?? current.status}; only an open claim can be cashed out.`,
    })
  }
  deps.wakePayouts?.()
  deps.wakeWebhooks?.()
  return submitted
}

/**
 * Writes submits in one transaction: the claims move, their payouts are numbered and inserted
 * in one statement, and their events follow. One result per draft, undefined for a claim that
 * was not open (or not the scope's); of two drafts for one claim, only the first can move it.
 */
export async function writeSubmits(tx: Tx, drafts: SubmitDraft[], now: Date): Promise<Submitted[]> {
  const byClaim = new Map<string, SubmitDraft>()
  for (const d of drafts) if (!byClaim.has(d.claimId)) byClaim.set(d.claimId, d)
  let payouts = new Map<string, Payout>()
  const moved = await applyTransition(tx, {
    name: 'submit',
    changes: [...byClaim.values()].map((d) => ({
      claimId: d.claimId,
      reason: null,
      details: { destination: d.masked },
      scope: d.scope,
    })),
    now,
    between: async (claims) => {
      const inserted = await insertPayouts(
        tx,
        claims.map((claim) => {
          const d = byClaim.get(claim.id) as SubmitDraft
          return {
            id: d.payoutId,
            claimId: claim.id,
            providerId: claim.provider_id,
            livemode: claim.livemode,
            method: d.method,
            amountMinor: claim.net_minor,
            currency: claim.currency,
            requestJwe: d.requestJwe,
            callbackUrl: d.callbackUrl,
            callbackTokenSha256: d.callbackTokenSha256,
            destinationMasked: d.masked,
            now,
          }
        }),
      )
      payouts = new Map(inserted.map((p) => [p.claim_id, p]))
      return new Map(inserted.map((p) => [p.claim_id, { payout: { attempt: p.attempt } }]))
    },
  })
  const claims = new Map(moved.map((c) => [c.id, c]))
  return drafts.map((d): Submitted => {
    const claim = claims.get(d.claimId)
    const payout = payouts.get(d.claimId)
    return claim && payout && payout.id === d.payoutId ? { claim, payout } : undefined
  })
}

/** Submits arriving together, written in one transaction (see db/group.ts). */
export function submitGroup(deps: Pick<AppDeps, 'db' | 'clock'>) {
  return grouped((drafts: SubmitDraft[]) =>
    withTx(deps.db, (tx) => writeSubmits(tx, drafts, deps.clock.now())),
  )
}
