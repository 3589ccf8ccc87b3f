import type { Selectable, Updateable } from 'kysely'
import { type Actor, recordAudit } from '../audit/record.ts'
import type { Db, ProvidersTable } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { plainName } from './names.ts'

/**
 * Text a provider asks its claim pages to show, which the operator approves first: a display
 * name (the easiest way to pass for a bank) and a support contact (a link or number beside a
 * payout form, the easiest way to send a customer to a page asking for their bank login).
 * Each is four columns: the text asked for, the text approved (what pages show), when it was
 * asked for, and why the operator refused it.
 *   none      nothing asked for
 *   pending   asked for, waiting for the operator (the text approved before still shows)
 *   approved  shown
 *   rejected  refused by the operator, with a reason, until the provider asks again
 */
export type ReviewedField = 'display_name' | 'support_contact'
export const REVIEWED_FIELDS: readonly ReviewedField[] = ['display_name', 'support_contact']
export type ReviewStatus = 'none' | 'pending' | 'approved' | 'rejected'

type Columns<F extends ReviewedField> =
  | F
  | `${F}_approved`
  | `${F}_requested_at`
  | `${F}_rejected_reason`

/** The provider's columns for one field's review. */
export function reviewColumns<F extends ReviewedField>(field: F) {
  return [
    field,
    `${field}_approved`,
    `${field}_requested_at`,
    `${field}_rejected_reason`,
  ] as const satisfies readonly Columns<F>[]
}

/** One field's review, under names common to both fields. */
export interface ReviewState {
  requested: string | null
  approved: string | null
  requested_at: Date | null
  rejected_reason: string | null
}

export function reviewState<F extends ReviewedField>(
  row: Pick<Selectable<ProvidersTable>, Columns<F>>,
  field: F,
): ReviewState {
  const r = row as Pick<Selectable<ProvidersTable>, Columns<ReviewedField>>
  return {
    requested: r[field],
    approved: r[`${field}_approved`],
    requested_at: r[`${field}_requested_at`],
    rejected_reason: r[`${field}_rejected_reason`],
  }
}

export function reviewStatus(s: Omit<ReviewState, 'requested_at'>): ReviewStatus {
  if (s.requested === null) return 'none'
  if (s.requested === s.approved) return 'approved'
  return s.rejected_reason === null ? 'pending' : 'rejected'
}

/** `ACME Rewards` for `acme-rewards` only changes the case of the plain name: nothing to review. */
export function spellsPlainName(wanted: string, slug: string): boolean {
  return wanted.toLowerCase() === plainName(slug).toLowerCase()
}

/** What the operator (and the provider) read of one field's review. */
export interface ReviewView {
  name: string
  status: ReviewStatus
  /** What the provider asked for. */
  requested: string | null
  approved: string | null
  /** What its claim pages show now: for a display name, the provider's name when none is. */
  shown: string | null
  requested_at: string | null
  rejected_reason: string | null
}

export function reviewView(field: ReviewedField, name: string, s: ReviewState): ReviewView {
  return {
    name,
    status: reviewStatus(s),
    requested: s.requested,
    approved: s.approved,
    shown: field === 'display_name' ? (s.approved ?? plainName(name)) : s.approved,
    requested_at: s.requested_at?.toISOString() ?? null,
    rejected_reason: s.rejected_reason,
  }
}

/**
 * The columns to write beside new text the provider set: it waits for review unless
 * `preApproved` (a display name that only spells the plain name). Clearing it also clears the
 * approval, so nothing shows; text approved earlier stays shown while new text waits.
 */
export function reviewRequest(
  field: ReviewedField,
  wanted: string | null,
  now: Date,
  preApproved = false,
): Updateable<ProvidersTable> {
  if (wanted === null) {
    return {
      [`${field}_approved`]: null,
      [`${field}_requested_at`]: null,
      [`${field}_rejected_reason`]: null,
    }
  }
  return {
    ...(preApproved ? { [`${field}_approved`]: wanted } : {}),
    [`${field}_requested_at`]: now,
    [`${field}_rejected_reason`]: null,
  }
}

/** Requests of one kind waiting for the operator, oldest first. */
export async function waitingReviews(db: Db, field: ReviewedField, limit = 100) {
  const [asked, approved, requestedAt, rejected] = reviewColumns<ReviewedField>(field)
  const rows = await db
    .selectFrom('providers')
    .select(['name', ...reviewColumns<ReviewedField>(field)])
    .where(asked, 'is not', null)
    .where((eb) => eb(asked, 'is distinct from', eb.ref(approved)))
    .where(rejected, 'is', null)
    .orderBy(requestedAt)
    .orderBy('name')
    .limit(limit)
    .execute()
  return rows.map((row) => reviewView(field, row.name, reviewState(row, field)))
}

const WORDS: Record<ReviewedField, { noun: string; without: string }> = {
  display_name: { noun: 'display name', without: 'its claim pages show its name' },
  support_contact: { noun: 'support contact', without: 'its claim pages show no contact' },
}

export interface ReviewDecision {
  approve: boolean
  /** The text the operator looked at: a request changed since is not decided blind. */
  text: string
  /** Required to reject; kept in the audit log and shown to the provider. */
  reason?: string
}

/**
 * The operator approves or rejects the text a provider asked for. Rejecting approved text
 * withdraws it. Deciding what is already decided changes nothing (`changed: false`), and a
 * review of text the provider has since replaced is refused. Audited; the provider's cached
 * claim context is forgotten, since what its pages show changed.
 */
export async function decideReview({
  deps,
  actor,
  name,
  field,
  decision,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'cache'>
  actor: Actor
  name: string
  field: ReviewedField
  decision: ReviewDecision
}): Promise<ReviewView & { changed: boolean }> {
  const words = WORDS[field]
  const problem = (message: string) =>
    new DomainError('validation_failed', { details: [{ field, message }] })
  return withTx(deps.db, async (tx) => {
    const row = await tx
      .selectFrom('providers')
      .select(['id', ...reviewColumns<ReviewedField>(field)])
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new DomainError('not_found', { message: `No provider is named ${name}.` })
    const before = reviewState(row, field)
    const asked = before.requested
    if (asked === null) throw problem(`${name} has no ${words.noun} to review: ${words.without}.`)
    if (asked !== decision.text) {
      throw problem(`${name} now asks for “${asked}”, not “${decision.text}”: review that.`)
    }
    const status = reviewStatus(before)
    if (status === (decision.approve ? 'approved' : 'rejected')) {
      return { ...reviewView(field, name, before), changed: false }
    }
    const now = deps.clock.now()
    const approved = decision.approve ? asked : status === 'approved' ? null : before.approved
    const reason = decision.approve ? null : (decision.reason ?? 'Refused by the operator.')
    const updated = await tx
      .updateTable('providers')
      .set({
        [`${field}_approved`]: approved,
        [`${field}_rejected_reason`]: reason,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .returning(reviewColumns<ReviewedField>(field))
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      actor,
      providerId: row.id,
      action: `${field}.${decision.approve ? 'approved' : 'rejected'}`,
      target: name,
      before: { approved: before.approved },
      after: decision.approve
        ? { approved: asked }
        : { approved, rejected: asked, reason: decision.reason },
      at: now,
    })
    deps.cache.forgetProvider(row.id)
    return { ...reviewView(field, name, reviewState(updated, field)), changed: true }
  })
}
