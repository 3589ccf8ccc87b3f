import { recordAudit } from '../audit/record.ts'
import { constantTimeEqual } from '../crypto/bytes.ts'
import type { Member } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { findMemberByEmail, memberActor } from './members.ts'
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.ts'
import { completeSecondFactor, openSession } from './sessions.ts'
import { matchTotp, newTotpSecret } from './totp.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'limiter' | 'vault'>

/** After this many wrong passwords in a row an account rests for LOCK_MS. */
export const MAX_FAILURES = 5
export const LOCK_MS = 15 * 60_000
/** Attempts per address, right or wrong, per 15 minutes. */
export const PER_ADDRESS = { limit: 30, windowMs: 15 * 60_000 }

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
    `console-sign-in:${address}`,
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
    await burnPasswordCheck(password)
    throw refused()
  }
  const resting = member.locked_until !== null && member.locked_until > now
  const check = await verifyPassword(password, member.password_hash)
  if (resting || !check.ok) {
    if (!resting) await countFailure(deps, member, now)
    throw refused()
  }
  await deps.db
    .updateTable('console_members')
    .set({
      failed_sign_ins: 0,
      locked_until: null,
      ...(check.rehash ? { password_hash: await hashPassword(password) } : {}),
    })
    .where('id', '=', member.id)
    .execute()
  const twoFactor = member.totp_enabled_at !== null
  const opened = await openSession(
    deps.db,
    { memberId: member.id, stage: twoFactor ? 'totp' : 'signed_in' },
    now,
  )
  return { kind: twoFactor ? 'second_factor' : 'signed_in', token: opened.token, member }
}

async function countFailure(deps: Deps, member: Member, now: Date) {
  const failures = member.failed_sign_ins + 1
  const lock = failures >= MAX_FAILURES
  await deps.db
    .updateTable('console_members')
    .set({
      failed_sign_ins: lock ? 0 : failures,
      locked_until: lock ? new Date(now.getTime() + LOCK_MS) : member.locked_until,
    })
    .where('id', '=', member.id)
    .execute()
  if (lock) {
    await recordAudit(deps.db, {
      actor: memberActor(member),
      providerId: member.provider_id,
      action: 'member.locked',
      target: member.email,
      after: { locked_until: new Date(now.getTime() + LOCK_MS).toISOString() },
      at: now,
    })
  }
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

/** The second step of a sign-in with two-factor on. Wrong codes count as failed sign-ins. */
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
  if (!member.totp_secret_jwe || (member.locked_until && member.locked_until > now)) {
    throw WRONG_CODE()
  }
  const secret = await deps.vault.open(member.totp_secret_jwe)
  if (!(await acceptCode(deps, member, secret, code))) {
    await countFailure(deps, member, now)
    throw WRONG_CODE()
  }
  await completeSecondFactor(deps.db, sessionId, now)
}

/** A secret to show the member while they add it to their app; not stored until confirmed. */
export function proposeTotpSecret(): string {
  return newTotpSecret()
}

/** Turns two-factor on once the member proves their app holds `secret`. */
export async function enableTwoFactor({
  deps,
  member,
  secret,
  code,
}: {
  deps: Deps
  member: Member
  secret: string
  code: string
}) {
  const now = deps.clock.now()
  const step = await matchTotp(secret, code, now)
  if (step === undefined || !/^[A-Z2-7]{32}$/.test(secret)) throw WRONG_CODE()
  const sealed = await deps.vault.seal(secret)
  await deps.db
    .updateTable('console_members')
    .set({
      totp_secret_jwe: sealed.jwe,
      totp_enabled_at: now,
      totp_last_step: BigInt(step),
      updated_at: now,
    })
    .where('id', '=', member.id)
    .execute()
  await recordAudit(deps.db, {
    actor: memberActor(member),
    providerId: member.provider_id,
    action: 'member.two_factor_enabled',
    target: member.email,
    at: now,
  })
}

/** Turns two-factor off; asks for a current code so a borrowed session cannot do it alone. */
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
  const secret = await deps.vault.open(member.totp_secret_jwe)
  if (!(await acceptCode(deps, member, secret, code))) throw WRONG_CODE()
  const now = deps.clock.now()
  await deps.db
    .updateTable('console_members')
    .set({ totp_secret_jwe: null, totp_enabled_at: null, totp_last_step: null, updated_at: now })
    .where('id', '=', member.id)
    .execute()
  await recordAudit(deps.db, {
    actor: memberActor(member),
    providerId: member.provider_id,
    action: 'member.two_factor_disabled',
    target: member.email,
    at: now,
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
    `console-sign-in:${address}`,
    PER_ADDRESS.limit,
    PER_ADDRESS.windowMs,
  )
  if (!busy.ok) throw new DomainError('rate_limited')
  if (!expected || !constantTimeEqual(token, expected)) {
    throw new DomainError('unauthorized', { message: 'That operator token is not right.' })
  }
  return openSession(deps.db, { operator: true }, deps.clock.now())
}
