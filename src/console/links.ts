import type { Actor } from '../audit/record.ts'
import { recordAudit } from '../audit/record.ts'
import { randomToken, sha256Hex } from '../crypto/bytes.ts'
import type { Db, MemberRole, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'

/** Setup and invite links are good for 7 days and for one use. */
export const LINK_LIFETIME_MS = 7 * 24 * 3600_000

export interface IssuedLink {
  url: string
  expiresAt: Date
}

/** The page a link opens; the token is the last path segment. */
export function linkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/console/join/${token}`
}

/**
 * Makes a one-time link. `setup` makes the provider's first owner (or a new owner, when asked for
 * with an API key); `invite` is an owner inviting a member with a role.
 */
export async function issueLink(
  db: Db | Tx,
  input: {
    providerId: string
    kind: 'setup' | 'invite'
    role: MemberRole
    actor: Actor
    publicUrl: string
    now: Date
  },
): Promise<IssuedLink> {
  const token = randomToken(32)
  const expiresAt = new Date(input.now.getTime() + LINK_LIFETIME_MS)
  await db
    .insertInto('console_links')
    .values({
      token_sha256: await sha256Hex(token),
      provider_id: input.providerId,
      kind: input.kind,
      role: input.role,
      created_by: input.actor.label,
      created_at: input.now,
      expires_at: expiresAt,
    })
    .execute()
  await recordAudit(db, {
    actor: input.actor,
    providerId: input.providerId,
    action: input.kind === 'setup' ? 'console.setup_link_created' : 'member.invited',
    target: input.role,
    after: { role: input.role, expires_at: expiresAt.toISOString() },
    at: input.now,
  })
  return { url: linkUrl(input.publicUrl, token), expiresAt }
}

/** The link a token names while it can still be used. */
export async function findUsableLink(db: Db | Tx, token: string, now: Date) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
  const link = await db
    .selectFrom('console_links')
    .innerJoin('providers', 'providers.id', 'console_links.provider_id')
    .select([
      'console_links.id',
      'console_links.provider_id',
      'console_links.kind',
      'console_links.role',
      'console_links.expires_at',
      'console_links.used_at',
      'providers.name as provider_name',
    ])
    .where('token_sha256', '=', await sha256Hex(token))
    .executeTakeFirst()
  if (!link || link.used_at || link.expires_at <= now) return undefined
  return link
}

/** Marks a link used; false when another request used it first. */
export async function useLink(tx: Tx, linkId: string, memberId: string, now: Date) {
  const result = await tx
    .updateTable('console_links')
    .set({ used_at: now, used_by: memberId })
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** Invites not yet used that can still be used, newest first, for the Team page. */
export async function listPendingInvites(db: Db, providerId: string, now: Date) {
  return db
    .selectFrom('console_links')
    .select(['id', 'role', 'created_by', 'created_at', 'expires_at'])
    .where('provider_id', '=', providerId)
    .where('kind', '=', 'invite')
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

/**
 * Withdraws an invite nobody has used: it expires now, so the link answers "cannot be used"
 * like any lapsed one. An invite already used, expired or of another provider is `not_found`.
 */
export async function revokeInvite({
  deps,
  providerId,
  linkId,
  actor,
}: {
  deps: Pick<AppDeps, 'db' | 'clock'>
  providerId: string
  linkId: string
  actor: Actor
}) {
  const now = deps.clock.now()
  await withTx(deps.db, async (tx) => {
    const link = await tx
      .updateTable('console_links')
      .set({ expires_at: now })
      .where('id', '=', linkId)
      .where('provider_id', '=', providerId)
      .where('kind', '=', 'invite')
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['role', 'created_by'])
      .executeTakeFirst()
    if (!link) {
      throw new DomainError('not_found', {
        message: 'That invite was already used, withdrawn or has expired.',
      })
    }
    await recordAudit(tx, {
      actor,
      providerId,
      action: 'member.invite_revoked',
      target: link.role,
      before: { role: link.role, created_by: link.created_by },
      at: now,
    })
  })
}
