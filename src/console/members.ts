import { type Actor, recordAudit } from '../audit/record.ts'
import type { Db, Member, MemberRole, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { findUsableLink, useLink } from './links.ts'
import { hashPassword, passwordProblem } from './password.ts'
import { endMemberSessions, openSession } from './sessions.ts'

type Deps = Pick<AppDeps, 'db' | 'clock'>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase()
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('validation_failed', { details: [{ field, message }] })
}

export function checkEmail(raw: string): string {
  const email = normaliseEmail(raw)
  if (email.length > 254 || !EMAIL.test(email)) {
    throw invalid('email', 'Enter an email address, like name@example.com.')
  }
  return email
}

export function memberActor(member: Pick<Member, 'id' | 'email'>): Actor {
  return { type: 'member', id: member.id, label: member.email }
}

export async function findMemberByEmail(db: Db, email: string) {
  return db
    .selectFrom('console_members')
    .selectAll()
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst()
}

export async function listMembers(db: Db, providerId: string) {
  return db
    .selectFrom('console_members')
    .selectAll()
    .where('provider_id', '=', providerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/**
 * Turns a setup or invite link into a member and signs them in. The link is used in the same
 * transaction that creates the member, so two tabs cannot both use it.
 */
export async function joinWithLink({
  deps,
  token,
  email: rawEmail,
  password,
}: {
  deps: Deps
  token: string
  email: string
  password: string
}) {
  const email = checkEmail(rawEmail)
  const problem = passwordProblem(password)
  if (problem) throw invalid('password', problem)
  const now = deps.clock.now()
  const passwordHash = await hashPassword(password)
  const member = await withTx(deps.db, async (tx) => {
    const link = await findUsableLink(tx, token, now)
    if (!link) throw new DomainError('not_found', { message: 'This link has expired or was used.' })
    const taken = await tx
      .selectFrom('console_members')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst()
    if (taken) throw invalid('email', 'This email already has a Cashout console account.')
    const created = await tx
      .insertInto('console_members')
      .values({
        provider_id: link.provider_id,
        email,
        role: link.role,
        password_hash: passwordHash,
        password_changed_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (!(await useLink(tx, link.id, created.id, now))) {
      throw new DomainError('not_found', { message: 'This link has expired or was used.' })
    }
    await recordAudit(tx, {
      actor: memberActor(created),
      providerId: link.provider_id,
      action: 'member.joined',
      target: email,
      after: { email, role: link.role },
      at: now,
    })
    return created
  })
  return { member, ...(await openSession(deps.db, { memberId: member.id }, now)) }
}

/** Owners left among a provider's members, locking them so two demotions cannot race. */
async function lockedOwnerCount(tx: Tx, providerId: string) {
  const owners = await tx
    .selectFrom('console_members')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute()
  return owners.length
}

/** Changes a member's role; the last owner cannot be demoted. */
export async function changeRole({
  deps,
  providerId,
  memberId,
  role,
  actor,
}: {
  deps: Deps
  providerId: string
  memberId: string
  role: MemberRole
  actor: Actor
}) {
  const now = deps.clock.now()
  return withTx(deps.db, async (tx) => {
    const owners = await lockedOwnerCount(tx, providerId)
    const member = await tx
      .selectFrom('console_members')
      .selectAll()
      .where('id', '=', memberId)
      .where('provider_id', '=', providerId)
      .forUpdate()
      .executeTakeFirst()
    if (!member) throw new DomainError('not_found', { message: 'No such team member.' })
    if (member.role === role) return member
    if (member.role === 'owner' && owners <= 1) throw new DomainError('last_owner')
    const updated = await tx
      .updateTable('console_members')
      .set({ role, updated_at: now })
      .where('id', '=', memberId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      actor,
      providerId,
      action: 'member.role_changed',
      target: member.email,
      before: { role: member.role },
      after: { role },
      at: now,
    })
    return updated
  })
}

/** Removes a member and ends their sessions; the last owner cannot be removed. */
export async function removeMember({
  deps,
  providerId,
  memberId,
  actor,
}: {
  deps: Deps
  providerId: string
  memberId: string
  actor: Actor
}) {
  const now = deps.clock.now()
  await withTx(deps.db, async (tx) => {
    const owners = await lockedOwnerCount(tx, providerId)
    const member = await tx
      .selectFrom('console_members')
      .selectAll()
      .where('id', '=', memberId)
      .where('provider_id', '=', providerId)
      .forUpdate()
      .executeTakeFirst()
    if (!member) throw new DomainError('not_found', { message: 'No such team member.' })
    if (member.role === 'owner' && owners <= 1) throw new DomainError('last_owner')
    // Their sessions go with them: the cookie in their browser stops working at once.
    await tx.deleteFrom('console_sessions').where('member_id', '=', memberId).execute()
    await tx
      .updateTable('console_links')
      .set({ used_by: null })
      .where('used_by', '=', memberId)
      .execute()
    await tx.deleteFrom('console_members').where('id', '=', memberId).execute()
    await recordAudit(tx, {
      actor,
      providerId,
      action: 'member.removed',
      target: member.email,
      before: { email: member.email, role: member.role },
      at: now,
    })
  })
}

/** Sets a new password; every session of the member ends, and a fresh one is opened. */
export async function changePassword({
  deps,
  member,
  password,
}: {
  deps: Deps
  member: Member
  password: string
}) {
  const problem = passwordProblem(password)
  if (problem) throw invalid('new_password', problem)
  const now = deps.clock.now()
  const hash = await hashPassword(password)
  await withTx(deps.db, async (tx) => {
    await tx
      .updateTable('console_members')
      .set({ password_hash: hash, password_changed_at: now, updated_at: now })
      .where('id', '=', member.id)
      .execute()
    await recordAudit(tx, {
      actor: memberActor(member),
      providerId: member.provider_id,
      action: 'member.password_changed',
      target: member.email,
      at: now,
    })
  })
  await endMemberSessions(deps.db, member.id, now)
  return openSession(deps.db, { memberId: member.id }, now)
}
