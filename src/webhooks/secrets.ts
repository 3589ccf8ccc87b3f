import type { PreviousSecret } from '../db/schema.ts'
import { DomainError } from '../errors/domain-error.ts'

/**
 * Retired secrets that may sign at once beside the current one. Each rotation inside the
 * overlaps adds a signature to every message; three keeps the header short and still lets a
 * provider rotate again after a mistake.
 */
export const MAX_PREVIOUS_SECRETS = 3

/** The retired secrets whose overlap has not ended, oldest first. */
export function stillSigning(previous: readonly PreviousSecret[], now: Date): PreviousSecret[] {
  return previous.filter((p) => new Date(p.until).getTime() > now.getTime())
}

/** When the last retired secret stops signing; null when none signs now. */
export function lastOverlapEnd(previous: readonly PreviousSecret[], now: Date): Date | null {
  const ends = stillSigning(previous, now).map((p) => new Date(p.until).getTime())
  return ends.length > 0 ? new Date(Math.max(...ends)) : null
}

/**
 * The retired secrets after a rotation: the expired ones pruned, and the outgoing secret added
 * with its own overlap (none when `until` is null: it stops at once). Every earlier promise
 * stands, so a rotation that would hold more than MAX_PREVIOUS_SECRETS is refused.
 */
export function retire(
  previous: readonly PreviousSecret[],
  outgoingJwe: string,
  until: Date | null,
  now: Date,
): PreviousSecret[] {
  const kept = stillSigning(previous, now)
  if (!until) return kept
  if (kept.length >= MAX_PREVIOUS_SECRETS) {
    const first = new Date(Math.min(...kept.map((p) => new Date(p.until).getTime())))
    throw new DomainError('webhook_secret_overlaps', {
      message: `${kept.length} earlier secrets still sign beside the current one, the first of them until ${first.toISOString()}. Rotate again after that, or with overlap_seconds 0, which stops the current secret at once.`,
    })
  }
  return [...kept, { jwe: outgoingJwe, until: until.toISOString() }]
}
