import type { Claim, ClaimStatus } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { decodeCursor, encodeCursor } from '../http/cursor.ts'
import type { Scope } from '../modes.ts'
import { expireClaim, sweepExpiredClaims } from './expire.ts'
import { findClaim, listClaims } from './repository.ts'

type Deps = Pick<AppDeps, 'db' | 'clock'>

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Reads a provider's claim. An open claim whose time is up is expired on the spot, so readers
 * never see a stale `open` between sweeps.
 */
export async function getClaim({
  deps,
  scope,
  claimId,
}: {
  deps: Deps
  /** The provider and mode the claim must belong to; absent for the claim's own link. */
  scope?: Scope
  claimId: string
}): Promise<Claim> {
  const claim = await findClaim(deps.db, claimId, scope)
  if (!claim) throw new DomainError('not_found', { message: 'There is no claim with that uuid.' })
  const now = deps.clock.now()
  if (claim.status === 'open' && claim.expires_at <= now) {
    const expired = await withTx(deps.db, (tx) => expireClaim(tx, claim.id, now))
    return expired ?? ((await findClaim(deps.db, claimId, scope)) as Claim)
  }
  return claim
}

export interface ClaimQuery {
  status?: ClaimStatus
  customerId?: string
  createdAfter?: Date
  createdBefore?: Date
  /** Exactly the provider's reference, or the claim's uuid. */
  reference?: string
  cursor?: string
  limit: number
}

/** A page of the provider's claims, newest first, after expiring any that are due. */
export async function listProviderClaims({
  deps,
  scope,
  query,
}: {
  deps: Deps
  scope: Scope
  query: ClaimQuery
}) {
  const after = query.cursor ? decodeCursor(query.cursor, UUID) : undefined
  await sweepExpiredClaims({ deps, scope })
  const rows = await listClaims(deps.db, {
    scope,
    status: query.status,
    customerId: query.customerId,
    createdAfter: query.createdAfter,
    createdBefore: query.createdBefore,
    reference: query.reference,
    after,
    limit: query.limit + 1,
  })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return { claims: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null }
}
