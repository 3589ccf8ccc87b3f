import { randomToken, sha256Hex } from '../crypto/bytes.ts'
import type { ConsoleSession, Db, Member, Tx } from '../db/schema.ts'

/** A session ends after 30 idle minutes, and 12 hours after sign-in whatever happens. */
export const IDLE_MS = 30 * 60_000
export const ABSOLUTE_MS = 12 * 3600_000
/** `last_seen_at` is written at most this often, so reading pages does not write every time. */
const TOUCH_EVERY_MS = 60_000

export interface OpenedSession {
  /** The cookie's value; only its SHA-256 is stored. */
  token: string
  session: ConsoleSession
}

export async function openSession(
  db: Db | Tx,
  who: { memberId: string; stage?: 'signed_in' | 'totp' } | { operator: true },
  now: Date,
): Promise<OpenedSession> {
  const token = randomToken(32)
  const session = await db
    .insertInto('console_sessions')
    .values({
      token_sha256: await sha256Hex(token),
      member_id: 'memberId' in who ? who.memberId : null,
      operator: 'operator' in who,
      stage: 'memberId' in who ? (who.stage ?? 'signed_in') : 'signed_in',
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ABSOLUTE_MS),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { token, session }
}

export interface LiveSession {
  session: ConsoleSession
  member: Member | undefined
}

/** The session a cookie names, if it is still alive; touches it so idle time restarts. */
export async function findLiveSession(
  db: Db,
  token: string | undefined,
  now: Date,
): Promise<LiveSession | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
  const session = await db
    .selectFrom('console_sessions')
    .selectAll()
    .where('token_sha256', '=', await sha256Hex(token))
    .executeTakeFirst()
  if (!session || session.ended_at) return undefined
  const t = now.getTime()
  if (t >= session.expires_at.getTime() || t - session.last_seen_at.getTime() >= IDLE_MS) {
    return undefined
  }
  let member: Member | undefined
  if (session.member_id) {
    member = await db
      .selectFrom('console_members')
      .selectAll()
      .where('id', '=', session.member_id)
      .executeTakeFirst()
    if (!member) return undefined
  }
  if (t - session.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    await db
      .updateTable('console_sessions')
      .set({ last_seen_at: now })
      .where('id', '=', session.id)
      .execute()
  }
  return { session, member }
}

export async function endSession(db: Db, sessionId: string, now: Date) {
  await db
    .updateTable('console_sessions')
    .set({ ended_at: now })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute()
}

/** Ends every session of a member (password changed, removed), except perhaps the current one. */
export async function endMemberSessions(
  db: Db | Tx,
  memberId: string,
  now: Date,
  exceptSessionId?: string,
) {
  let query = db
    .updateTable('console_sessions')
    .set({ ended_at: now })
    .where('member_id', '=', memberId)
    .where('ended_at', 'is', null)
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId)
  await query.execute()
}

export async function setSessionMode(db: Db, sessionId: string, livemode: boolean) {
  await db.updateTable('console_sessions').set({ livemode }).where('id', '=', sessionId).execute()
}

/**
 * Lifts a session past the code step under a new token: the cookie that was handed out before
 * the code was entered stops working, so a token seen at that stage is worth nothing after it.
 * Undefined when the session is not (or no longer) waiting for a code.
 */
export async function completeSecondFactor(
  db: Db,
  sessionId: string,
  now: Date,
): Promise<string | undefined> {
  const token = randomToken(32)
  const result = await db
    .updateTable('console_sessions')
    .set({ stage: 'signed_in', last_seen_at: now, token_sha256: await sha256Hex(token) })
    .where('id', '=', sessionId)
    .where('stage', '=', 'totp')
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n ? token : undefined
}
