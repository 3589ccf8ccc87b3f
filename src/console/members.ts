import { type Actor, recordAudit, SYSTEM } from '../audit/record.ts'
import type { Db, Member, MemberRole, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { findUsableLink, useLink } from './links.ts'
import { hashPassword, passwordProblem, verifyPassword } from './password.ts'
import { endMemberSessions, openSession } from './sessions.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>

/** After this many wrong passwords or codes in a row an account rests for LOCK_MS. */
export const MAX_FAILURES = 5
export const LOCK_MS = 15 * 60_000

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
  const passwordHash = await hashPassword(password, deps.config.passwordIterations)
  const gone = () => new DomainError('not_found', { message: 'This link has expired or was used.' })
  return withTx(deps.db, async (tx) => {
    const link = await findUsableLink(tx, token, now)
    if (!link) throw gone()
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
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (!(await useLink(tx, link.id, created.id, now))) throw gone()
    await recordAudit(tx, {
      actor: memberActor(created),
      providerId: link.provider_id,
      action: 'member.joined',
      target: email,
      after: { email, role: link.role },
      at: now,
    })
    return { member: created, ...(await openSession(tx, { memberId: created.id }, now)) }
  })
}

/**
 * A member of the provider, and how many owners it has, both locked so that two demotions or
 * removals cannot race past the last owner.
 */
async function lockedMember(tx: Tx, providerId: string, memberId: string) {
  const owners = await tx
    .selectFrom('console_members')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute()
  const member = await tx
    .selectFrom('console_members')
    .selectAll()
    .where('id', '=', memberId)
    .where('provider_id', '=', providerId)
    .forUpdate()
    .executeTakeFirst()
  if (!member) throw new DomainError('not_found', { message: 'No such team member.' })
  return { member, lastOwner: member.role === 'owner' && owners.length <= 1 }
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
    const { member, lastOwner } = await lockedMember(tx, providerId, memberId)
    if (member.role === role) return member
    if (lastOwner) throw new DomainError('last_owner')
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
    const { member, lastOwner } = await lockedMember(tx, providerId, memberId)
    if (lastOwner) throw new DomainError('last_owner')
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

/** Whether the account is resting after too many wrong passwords or codes. */
export const isResting = (member: Pick<Member, 'locked_until'>, now: Date) =>
  member.locked_until !== null && member.locked_until > now

/**
 * Counts a wrong password or code. The count is one atomic increment, so parallel guesses all
 * count; the fifth in a row rests the account for LOCK_MS (and starts the count again).
 */
export async function countFailedAttempt(db: Db, member: Member, now: Date) {
  const counted = await db
    .updateTable('console_members')
    .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) }))
    .where('id', '=', member.id)
    .returning('failed_sign_ins')
    .executeTakeFirst()
  if (!counted || counted.failed_sign_ins < MAX_FAILURES) return
  const lockedUntil = new Date(now.getTime() + LOCK_MS)
  await withTx(db, async (tx) => {
    // Only the request that reaches the limit first locks, so the log says it once.
    const locked = await tx
      .updateTable('console_members')
      .set({ failed_sign_ins: 0, locked_until: lockedUntil })
      .where('id', '=', member.id)
      .where('failed_sign_ins', '>=', MAX_FAILURES)
      .executeTakeFirst()
    if (locked.numUpdatedRows !== 1n) return
    // Cashout rests the account: whoever typed the wrong passwords may not be the member.
    await recordAudit(tx, {
      actor: SYSTEM,
      providerId: member.provider_id,
      action: 'member.locked',
      target: member.email,
      after: { locked_until: lockedUntil.toISOString() },
      at: now,
    })
  })
}

/**
 * Sets a new password once the current one is given; every session of the member ends, and a
 * fresh one is opened for the browser that asked. A wrong current password counts toward the
 * lockout, so a borrowed session cannot guess it at leisure.
 */
export async function changePassword({
  deps,
  member,
  current,
  password,
}: {
  deps: Deps
  member: Member
  current: string
  password: string
}) {
  const now = deps.clock.now()
  if (isResting(member, now)) {
    throw invalid(
      'current_password',
      'Too many wrong attempts: your account is resting for 15 minutes. Try again later.',
    )
  }
  if (!(await verifyPassword(current, member.password_hash, deps.config.passwordIterations)).ok) {
    await countFailedAttempt(deps.db, member, now)
    throw invalid('current_password', 'That is not your current password.')
  }
  const problem = passwordProblem(password)
  if (problem) throw invalid('new_password', problem)
  const hash = await hashPassword(password, deps.config.passwordIterations)
  return withTx(deps.db, async (tx) => {
    await tx
      .updateTable('console_members')
      .set({
        password_hash: hash,
        password_changed_at: now,
        updated_at: now,
        failed_sign_ins: 0,
        locked_until: null,
      })
      .where('id', '=', member.id)
      .execute()
    await recordAudit(tx, {
      actor: memberActor(member),
      providerId: member.provider_id,
      action: 'member.password_changed',
      target: member.email,
      at: now,
    })
    await endMemberSessions(tx, member.id, now)
    return openSession(tx, { memberId: member.id }, now)
  })
}
