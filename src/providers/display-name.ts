import { type Actor, recordAudit } from '../audit/record.ts'
import type { Db } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { plainName } from './names.ts'

/**
 * A display name is what the claim page shows instead of the provider's plain name. The provider
 * asks for one (profile, console settings); the claim page shows it only once the operator has
 * approved it, since a name is the easiest way to pass for a bank in front of a customer.
 *   none      no display name: the plain name is shown
 *   pending   asked for, waiting for the operator (the approved one, or the plain name, is shown)
 *   approved  shown
 *   rejected  refused by the operator, with a reason, until the provider asks for another
 */
export type DisplayNameStatus = 'none' | 'pending' | 'approved' | 'rejected'

export const DISPLAY_NAME_COLUMNS = [
  'name',
  'display_name',
  'display_name_approved',
  'display_name_requested_at',
  'display_name_rejected_reason',
] as const

export interface DisplayNameRow {
  name: string
  display_name: string | null
  display_name_approved: string | null
  display_name_requested_at: Date | null
  display_name_rejected_reason: string | null
}

export function displayNameStatus(row: Omit<DisplayNameRow, 'name'>): DisplayNameStatus {
  if (row.display_name === null) return 'none'
  if (row.display_name === row.display_name_approved) return 'approved'
  return row.display_name_rejected_reason === null ? 'pending' : 'rejected'
}

/** `ACME Rewards` for `acme-rewards` only changes the case of the plain name: nothing to review. */
export function spellsPlainName(wanted: string, slug: string): boolean {
  return wanted.toLowerCase() === plainName(slug).toLowerCase()
}

/**
 * The columns to write beside a new `display_name` the provider set: it waits for review unless
 * it only spells the plain name; clearing it also clears the approval, so the plain name shows.
 * An earlier approved name stays shown while a new one waits.
 */
export function displayNameRequest(wanted: string | null, slug: string, now: Date) {
  if (wanted === null) {
    return {
      display_name_approved: null,
      display_name_requested_at: null,
      display_name_rejected_reason: null,
    }
  }
  return {
    ...(spellsPlainName(wanted, slug) ? { display_name_approved: wanted } : {}),
    display_name_requested_at: now,
    display_name_rejected_reason: null,
  }
}

/** What the operator (and the provider) read of a provider's display name. */
export interface DisplayNameView {
  name: string
  status: DisplayNameStatus
  /** What the provider asked for. */
  requested: string | null
  approved: string | null
  /** What its claim pages show now. */
  shown: string
  requested_at: string | null
  rejected_reason: string | null
}

export function displayNameView(row: DisplayNameRow): DisplayNameView {
  return {
    name: row.name,
    status: displayNameStatus(row),
    requested: row.display_name,
    approved: row.display_name_approved,
    shown: row.display_name_approved ?? plainName(row.name),
    requested_at: row.display_name_requested_at?.toISOString() ?? null,
    rejected_reason: row.display_name_rejected_reason,
  }
}

/** Requests waiting for the operator, oldest first. */
export async function waitingDisplayNames(db: Db, limit = 100): Promise<DisplayNameRow[]> {
  return db
    .selectFrom('providers')
    .select(DISPLAY_NAME_COLUMNS)
    .where('display_name', 'is not', null)
    .where((eb) => eb('display_name', 'is distinct from', eb.ref('display_name_approved')))
    .where('display_name_rejected_reason', 'is', null)
    .orderBy('display_name_requested_at')
    .orderBy('name')
    .limit(limit)
    .execute()
}

export interface DisplayNameReview {
  approve: boolean
  /** The name the operator looked at: a request changed since is not decided blind. */
  displayName: string
  /** Required to reject; kept in the audit log and shown to the provider. */
  reason?: string
}

/**
 * The operator approves or rejects the display name a provider asked for. Rejecting an approved
 * name withdraws it. Deciding what is already decided changes nothing (`changed: false`), and
 * a review of a name the provider has since replaced is refused.
 */
export async function reviewDisplayName({
  deps,
  actor,
  name,
  review,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'cache'>
  actor: Actor
  name: string
  review: DisplayNameReview
}): Promise<DisplayNameView & { changed: boolean }> {
  return withTx(deps.db, async (tx) => {
    const row = await tx
      .selectFrom('providers')
      .select(['id', ...DISPLAY_NAME_COLUMNS])
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new DomainError('not_found', { message: `No provider is named ${name}.` })
    const asked = row.display_name
    if (asked === null) {
      throw reviewProblem(`${name} has no display name to review: its claim pages show its name.`)
    }
    if (asked !== review.displayName) {
      throw reviewProblem(
        `${name} now asks for “${asked}”, not “${review.displayName}”: review that name.`,
      )
    }
    const status = displayNameStatus(row)
    if (status === (review.approve ? 'approved' : 'rejected')) {
      return { ...displayNameView(row), changed: false }
    }
    const now = deps.clock.now()
    const change = review.approve
      ? { display_name_approved: asked, display_name_rejected_reason: null }
      : {
          display_name_approved: status === 'approved' ? null : row.display_name_approved,
          display_name_rejected_reason: review.reason ?? 'Refused by the operator.',
        }
    const updated = await tx
      .updateTable('providers')
      .set({ ...change, updated_at: now })
      .where('id', '=', row.id)
      .returning(DISPLAY_NAME_COLUMNS)
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      actor,
      providerId: row.id,
      action: review.approve ? 'display_name.approved' : 'display_name.rejected',
      target: name,
      before: { approved: row.display_name_approved },
      after: review.approve
        ? { approved: asked }
        : { approved: change.display_name_approved, rejected: asked, reason: review.reason },
      at: now,
    })
    // What claim pages show changed: nothing of this provider's may be served from before.
    deps.cache.forgetProvider(row.id)
    return { ...displayNameView(updated), changed: true }
  })
}

function reviewProblem(message: string) {
  return new DomainError('validation_failed', { details: [{ field: 'display_name', message }] })
}
