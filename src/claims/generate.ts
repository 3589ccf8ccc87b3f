import { sha256Hex } from '../crypto/bytes.ts'
import type { Claim, Rule, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { reserveForClaim } from '../ledger/reservation.ts'
import type { Scope } from '../modes.ts'
import { assertWithinCaps, hasCaps, priceClaim } from '../rules/quote.ts'
import { customerUsage, findClaimByRef, insertClaim, lockKey } from './repository.ts'
import { recordEvent } from './transition.ts'

export interface GenerateInput {
  /** Points to cash out. */
  amount: number
  /** The provider's own reference; a repeat with the same body returns the same claim. */
  id: string
  customer_id?: string
  expires_in?: number
}

export interface GenerateResult {
  claim: Claim
  replayed: boolean
}

/**
 * Creates a claim: prices the points under the provider's current rule, checks the customer's
 * caps, reserves the amount from the float and records `claim.created`, in one transaction.
 * Requests with the same reference are serialised, so a repeat can never reserve twice.
 */
export async function generateClaim({
  deps,
  scope,
  input,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'wakeWebhooks'>
  /** The provider, and the mode of its key: a test key makes test claims from the test float. */
  scope: Scope
  input: GenerateInput
}): Promise<GenerateResult> {
  const requestSha256 = await sha256Hex(
    JSON.stringify([input.amount, input.id, input.customer_id ?? null, input.expires_in ?? null]),
  )
  const replay = (claim: Claim): GenerateResult => {
    if (claim.request_sha256 !== requestSha256) {
      throw new DomainError('idempotency_conflict', {
        message: `Claim id ${input.id} was already used with a different request; send the same body to get that claim, or use a new id.`,
      })
    }
    return { claim, replayed: true }
  }

  const result = await withTx(deps.db, async (tx) => {
    const { providerId, livemode } = scope
    await lockKey(tx, `claim-ref:${providerId}:${livemode}:${input.id}`)
    const earlier = await findClaimByRef(tx, scope, input.id)
    if (earlier) return replay(earlier)

    const now = deps.clock.now()
    const rule = await ruleUnlessSuspended(tx, scope)
    const quote = priceClaim(rule, BigInt(input.amount))
    const customerId = input.customer_id ?? null
    if (hasCaps(rule)) {
      if (customerId === null) {
        throw new DomainError('validation_failed', {
          details: [
            { field: 'customer_id', message: 'Required: your rule sets per-customer caps.' },
          ],
        })
      }
      await lockKey(tx, `customer:${providerId}:${livemode}:${customerId}`)
      assertWithinCaps(rule, await customerUsage(tx, scope, customerId, now), quote)
    }
    const lifetimeSeconds = input.expires_in ?? rule.claim_lifetime_seconds
    const claim = await insertClaim(tx, {
      id: crypto.randomUUID(),
      providerId,
      livemode,
      providerRef: input.id,
      requestSha256,
      customerId,
      quote,
      expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
      now,
    })
    if (!claim) throw new Error(`claim reference ${input.id} appeared while locked`)
    await recordEvent(tx, claim, 'claim.created', now)

    const floatLow = await reserveForClaim(tx, claim, now)
    return { claim, replayed: false, floatLow }
  })
  // A reservation that took the float under its alert threshold queued `float.low`.
  if ('floatLow' in result && result.floatLow) deps.wakeWebhooks?.()
  return { claim: result.claim, replayed: result.replayed }
}

/**
 * The provider's current rule, read together with whether the operator has suspended it: one
 * query, so the check costs generate nothing. A repeat of an earlier claim (above) still answers,
 * since it makes nothing new.
 */
async function ruleUnlessSuspended(tx: Tx, scope: Scope): Promise<Rule> {
  const row = await tx
    .selectFrom('rules')
    .innerJoin('providers', 'providers.id', 'rules.provider_id')
    .selectAll('rules')
    .select('providers.suspended_at')
    .where('rules.provider_id', '=', scope.providerId)
    .where('rules.livemode', '=', scope.livemode)
    .orderBy('rules.version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  if (row.suspended_at !== null) throw new DomainError('provider_suspended')
  const { suspended_at: _, ...rule } = row
  return rule
}
