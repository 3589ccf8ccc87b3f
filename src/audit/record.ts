import type { ActorType, Db, Tx } from '../db/schema.ts'
import { DomainError } from '../errors/domain-error.ts'
import { decodeCursor, encodeCursor, type Position } from '../http/cursor.ts'

/**
 * Who made a change: a console member, an API key, the operator, or Cashout itself. Every verb
 * that changes a provider's settings takes one and writes it to the audit log.
 */
export interface Actor {
  type: ActorType
  /** The member's or key's id; null for the operator and the system. */
  id: string | null
  /** What people read: a member's email, a key's prefix, "operator". */
  label: string
}

export const OPERATOR: Actor = { type: 'operator', id: null, label: 'operator' }
export const SYSTEM: Actor = { type: 'system', id: null, label: 'Cashout' }

export interface AuditInput {
  actor: Actor
  providerId: string | null
  livemode?: boolean | null
  /** A dotted verb, e.g. `rule.updated`, `key.revoked`, `member.invited`. */
  action: string
  /** What was changed, e.g. a key's prefix, a claim's uuid, a member's email. */
  target?: string | null
  before?: unknown
  after?: unknown
  at: Date
}

/** Appends to the audit log; pass the transaction that makes the change, so both or neither land. */
export async function recordAudit(db: Db | Tx, entry: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      provider_id: entry.providerId,
      livemode: entry.livemode ?? null,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_label: entry.actor.label,
      action: entry.action,
      target: entry.target ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      created_at: entry.at,
    })
    .execute()
}

export interface AuditQuery {
  providerId?: string
  /**
   * Only actions of this family or this exact action: `member` matches `member.invited`,
   * `member.invited` matches itself; several filters match any of them. Lower-case words, dots
   * and underscores only.
   */
  action?: string | readonly string[]
  /** Entries before this position, for cursor paging (newest first). */
  after?: Position
  limit: number
}

/** What an action filter may look like: a family (`rule`) or a full action (`key.revoked`). */
export const ACTION_FILTER = /^[a-z][a-z_]{0,39}(\.[a-z][a-z_]{0,39})?$/

export async function listAudit(db: Db, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll()
  if (q.providerId) query = query.where('provider_id', '=', q.providerId)
  if (q.action !== undefined) {
    const filters = typeof q.action === 'string' ? [q.action] : q.action
    if (!filters.every((f) => ACTION_FILTER.test(f))) {
      throw new DomainError('validation_failed', {
        details: [{ field: 'action', message: 'Must be an action or its first word, like rule.' }],
      })
    }
    query = query.where((eb) =>
      eb.or(
        filters.flatMap((f) => [
          eb('action', '=', f),
          // `_` is a LIKE wildcard: escaped, `member.two_factor` matches only its own family.
          eb('action', 'like', `${f.replace(/_/g, '\\_')}.%`),
        ]),
      ),
    )
  }
  if (q.after) {
    const { createdAt, id } = q.after
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    )
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute()
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * One page of a provider's audit log, newest first, and the cursor of the next; the console's
 * Activity page and `GET /cashout/audit` read the same pages.
 */
export async function auditPage(
  db: Db,
  q: { providerId: string; action?: string | readonly string[]; cursor?: string; limit: number },
) {
  const rows = await listAudit(db, {
    providerId: q.providerId,
    action: q.action,
    after: q.cursor ? decodeCursor(q.cursor, UUID) : undefined,
    limit: q.limit + 1,
  })
  const entries = rows.slice(0, q.limit)
  const last = entries.at(-1)
  return { entries, nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null }
}
