import { recordAudit } from '../audit/record.ts'
import { constantTimeEqual } from '../crypto/bytes.ts'
import type { Member } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import {
  countFailedAttempt,
  findMemberByEmail,
  isResting,
  LOCK_MS,
  MAX_FAILURES,
  memberActor,
} from './members.ts'
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.ts'
import { completeSecondFactor, endMemberSessions, openSession } from './sessions.ts'
import { matchTotp, newTotpSecret } from './totp.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'limiter' | 'vault' | 'config'>

export { LOCK_MS, MAX_FAILURES }
/** Attempts per address, right or wrong, per 15 minutes. */
export const PER_ADDRESS = { limit: 30, windowMs: 15 * 60_000 }

/**
 * The bucket an address is counted in. One IPv6 subscriber usually holds a whole /64, so a
 * guesser rotating through it is still one bucket; IPv4-mapped addresses count as IPv4.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return mapped[1]
  if (!address.includes(':')) return address
  const [head = '', tail] = address.toLowerCase().split('%')[0]?.split('::') ?? []
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

export const SIGN_IN_FAILED = 'Email or password is incorrect.'

export type SignInResult =
  | { kind: 'signed_in'; token: string; member: Member }
  | { kind: 'second_factor'; token: string; member: Member }

function refused(): DomainError {
  return new DomainError('unauthorized', { message: SIGN_IN_FAILED })
}

/**
 * Checks an email and password. Every refusal reads the same (unknown email, wrong password,
 * account resting after too many failures), and takes as long, so the form tells an attacker
 * nothing about which emails exist. Too many attempts from one address are `rate_limited`.
 */
export async function signIn({
  deps,
  email,
  password,
  address,
}: {
  deps: Deps
  email: string
  password: string
  address: string
}): Promise<SignInResult> {
  const busy = deps.limiter.take(
    `console-sign-in:${addressBucket(address)}`,
    PER_ADDRESS.limit,
    PER_ADDRESS.windowMs,
  )
  if (!busy.ok) {
    throw new DomainError('rate_limited', {
      message: `Too many sign-in attempts from this network. Wait ${Math.ceil(busy.retryAfterSeconds / 60)} minutes and try again.`,
    })
  }
  const now = deps.clock.now()
  const member = await findMemberByEmail(deps.db, email)
  if (!member) {
    await burnPasswordCheck(password, deps.config.passwordIterations)
    throw refused()
  }
  // The password is checked even while the account rests, so a resting account answers in
  // the same time and words as a wrong password.
  const resting = isResting(member, now)
  const check = await verifyPassword(password, member.password_hash, deps.config.passwordIterations)
  if (resting || !check.ok) {
    if (!resting) await countFailedAttempt(deps.db, member, now)
    throw refused()
  }
  const twoFactor = member.totp_enabled_at !== null
  // With two-factor on, only the right code starts the count again: were a right password
  // enough, anyone holding it could try four codes, sign in again, and try four more forever.
  await deps.db
    .updateTable('console_members')
    .set({
      ...(twoFactor ? {} : { failed_sign_ins: 0 }),
      locked_until: null,
      ...(check.rehash
        ? { password_hash: await hashPassword(password, deps.config.passwordIterations) }
        : {}),
    })
    .where('id', '=', member.id)
    .execute()
  const opened = await openSession(
    deps.db,
    { memberId: member.id, stage: twoFactor ? 'totp' : 'signed_in' },
    now,
  )
  return { kind: twoFactor ? 'second_factor' : 'signed_in', token: opened.token, member }
}

/**
 * Accepts a code for the member's TOTP secret once: the step it matched is stored, and a code
 * of that step or an earlier one is refused, so an overheard code cannot be replayed.
 */
async function acceptCode(deps: Deps, member: Member, secret: string, code: string) {
  const now = deps.clock.now()
  const step = await matchTotp(secret, code, now)
  if (step === undefined) return false
  const result = await deps.db
    .updateTable('console_members')
    .set({ totp_last_step: BigInt(step) })
    .where('id', '=', member.id)
    .where((eb) =>
      eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', BigInt(step))]),
    )
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

const WRONG_CODE = () =>
  new DomainError('validation_failed', {
    details: [
      { field: 'code', message: 'That code is not right. Enter the 6 digits your app shows now.' },
    ],
  })

/**
 * The second step of a sign-in with two-factor on. Wrong codes count as failed sign-ins, and a
 * resting account takes no code at all. Returns the session's new token (see
 * `completeSecondFactor`).
 */
export async function verifySecondFactor({
  deps,
  member,
  sessionId,
  code,
}: {
  deps: Deps
  member: Member
  sessionId: string
  code: string
}) {
  const now = deps.clock.now()
  if (!member.totp_secret_jwe || isResting(member, now)) throw WRONG_CODE()
  const secret = await deps.vault.open(member.totp_secret_jwe)
  if (!(await acceptCode(deps, member, secret, code))) {
    await countFailedAttempt(deps.db, member, now)
    throw WRONG_CODE()
  }
  await deps.db
    .updateTable('console_members')
    .set({ failed_sign_ins: 0 })
    .where('id', '=', member.id)
    .execute()
  const token = await completeSecondFactor(deps.db, sessionId, now)
  if (!token) throw WRONG_CODE()
  return token
}

/** A secret to show the member while they add it to their app; not stored until confirmed. */
export function proposeTotpSecret(): string {
  return newTotpSecret()
}

/**
 * Turns two-factor on once the member proves their app holds `secret`. Their other sessions
 * end: whoever else was signed in as them must now get past the code too.
 */
export async function enableTwoFactor({
  deps,
  member,
  secret,
  code,
  keepSessionId,
}: {
  deps: Deps
  member: Member
  secret: string
  code: string
  keepSessionId?: string
}) {
  const now = deps.clock.now()
  if (!/^[A-Z2-7]{32}$/.test(secret)) throw WRONG_CODE()
  const step = await matchTotp(secret, code, now)
  if (step === undefined) throw WRONG_CODE()
  const sealed = await deps.vault.seal(secret)
  await withTx(deps.db, async (tx) => {
    // Only while it is off: a session alone must not swap the app that holds the secret.
    const turnedOn = await tx
      .updateTable('console_members')
      .set({
        totp_secret_jwe: sealed.jwe,
        totp_enabled_at: now,
        totp_last_step: BigInt(step),
        updated_at: now,
      })
      .where('id', '=', member.id)
      .where('totp_enabled_at', 'is', null)
      .executeTakeFirst()
    if (turnedOn.numUpdatedRows !== 1n) {
      throw new DomainError('validation_failed', {
        details: [{ field: 'code', message: 'Two-factor is already on. Turn it off first.' }],
      })
    }
    await endMemberSessions(tx, member.id, now, keepSessionId)
    await recordAudit(tx, {
      actor: memberActor(member),
      providerId: member.provider_id,
      action: 'member.two_factor_enabled',
      target: member.email,
      at: now,
    })
  })
}

/**
 * Turns two-factor off; asks for a current code so a borrowed session cannot do it alone, and
 * wrong codes count toward the lockout so it cannot guess one either.
 */
export async function disableTwoFactor({
  deps,
  member,
  code,
}: {
  deps: Deps
  member: Member
  code: string
}) {
  if (!member.totp_secret_jwe) return
  const now = deps.clock.now()
  if (isResting(member, now)) throw WRONG_CODE()
  const secret = await deps.vault.open(member.totp_secret_jwe)
  if (!(await acceptCode(deps, member, secret, code))) {
    await countFailedAttempt(deps.db, member, now)
    throw WRONG_CODE()
  }
  await withTx(deps.db, async (tx) => {
    await tx
      .updateTable('console_members')
      .set({
        totp_secret_jwe: null,
        totp_enabled_at: null,
        totp_last_step: null,
        failed_sign_ins: 0,
        updated_at: now,
      })
      .where('id', '=', member.id)
      .execute()
    await recordAudit(tx, {
      actor: memberActor(member),
      providerId: member.provider_id,
      action: 'member.two_factor_disabled',
      target: member.email,
      at: now,
    })
  })
}

/** The operator signs in with OPERATOR_TOKEN; the cookie then holds a session, not the token. */
export async function operatorSignIn({
  deps,
  token,
  expected,
  address,
}: {
  deps: Deps
  token: string
  expected: string | undefined
  address: string
}) {
  const busy = deps.limiter.take(
    `console-sign-in:${addressBucket(address)}`,
    PER_ADDRESS.limit,
    PER_ADDRESS.windowMs,
  )
  if (!busy.ok) throw new DomainError('rate_limited')
  if (!expected || !constantTimeEqual(token, expected)) {
    throw new DomainError('unauthorized', { message: 'That operator token is not right.' })
  }
  return openSession(deps.db, { operator: true }, deps.clock.now())
}
