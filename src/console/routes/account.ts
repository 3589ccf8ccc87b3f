import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import {
  type AccountModel,
  AccountPage,
  TwoFactorSetupPage,
} from '../../../views/console/account.tsx'
import type { Errors } from '../../../views/console/components.tsx'
import { isDomainError } from '../../errors/domain-error.ts'
import { createRouter } from '../../http/router.ts'
import { displayTime } from '../../page/format.ts'
import {
  type ConsoleEnv,
  fieldErrors,
  memberChrome,
  readForm,
  refusedForm,
  render,
  requireMember,
  setSessionCookie,
} from '../http.ts'
import { changePassword } from '../members.ts'
import { disableTwoFactor, enableTwoFactor, proposeTotpSecret } from '../sign-in.ts'
import { groupForTyping, otpauthUri } from '../totp.ts'
import { ROLE_LABELS } from './team.ts'

type Ctx = Context<ConsoleEnv>

/** A proposed secret is good for an hour of fumbling with the app. */
const PROPOSAL_MS = 3600_000

const DONE: Record<string, string> = {
  password: 'Your password is changed. Every other session of yours is signed out.',
  'two-factor-on': 'Two-factor is on. Signing in now asks for a code from your app.',
  'two-factor-off': 'Two-factor is off.',
}

function accountPage(c: Ctx, extra: Partial<AccountModel> = {}, status?: ContentfulStatusCode) {
  const { member, role } = c.var.console
  const tz = c.var.deps.config.displayTimeZone
  const model: AccountModel = {
    email: member.email,
    roleLabel: ROLE_LABELS[role],
    twoFactorSince: member.totp_enabled_at ? displayTime(member.totp_enabled_at, tz) : undefined,
    passwordChanged: displayTime(member.password_changed_at, tz),
    errors: {},
    ...extra,
  }
  return render(c, AccountPage({ chrome: memberChrome(c, 'account'), model }), status)
}

/**
 * The secret travels in the form sealed, bound to the member and the hour: a form cannot bring
 * a secret of its own choosing, nor one shown to somebody else.
 */
async function seal(c: Ctx, secret: string) {
  const payload = { m: c.var.console.member.id, s: secret, t: c.var.deps.clock.now().getTime() }
  return (await c.var.deps.vault.seal(JSON.stringify(payload))).jwe
}

async function unseal(c: Ctx, proposal: string | undefined): Promise<string> {
  try {
    const p = JSON.parse(await c.var.deps.vault.open(proposal ?? '')) as {
      m: unknown
      s: unknown
      t: unknown
    }
    const age = c.var.deps.clock.now().getTime() - Number(p.t)
    if (p.m === c.var.console.member.id && typeof p.s === 'string' && age < PROPOSAL_MS) return p.s
  } catch {
    // Not ours, or tampered with: refused below like any stale form.
  }
  throw refusedForm()
}

async function setupPage(c: Ctx, secret: string, errors: Errors, status?: ContentfulStatusCode) {
  const model = {
    grouped: groupForTyping(secret),
    uri: otpauthUri(secret, c.var.console.member.email),
    proposal: await seal(c, secret),
    errors,
  }
  return render(c, TwoFactorSetupPage({ chrome: memberChrome(c, 'account'), model }), status)
}

/** The signed-in member's own password and two-factor; any role may manage their own. */
export function consoleAccountRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/account', requireMember, async (c) => {
      const done = c.req.query('done')
      return accountPage(c, { notice: done ? DONE[done] : undefined })
    })
    .post('/console/account/password', requireMember, async (c) => {
      const form = await readForm(c)
      try {
        const fresh = await changePassword({
          deps: c.var.deps,
          member: c.var.console.member,
          current: form.current_password ?? '',
          password: form.new_password ?? '',
        })
        setSessionCookie(c, fresh.token)
      } catch (error) {
        if (!isDomainError(error, 'validation_failed')) throw error
        return accountPage(c, { errors: fieldErrors(error.details) }, 422)
      }
      return c.redirect('/console/account?done=password', 303)
    })
    .get('/console/account/two-factor', requireMember, async (c) => {
      if (c.var.console.member.totp_enabled_at) return c.redirect('/console/account', 302)
      return setupPage(c, proposeTotpSecret(), {})
    })
    .post('/console/account/two-factor', requireMember, async (c) => {
      const form = await readForm(c)
      const secret = await unseal(c, form.proposal)
      try {
        await enableTwoFactor({
          deps: c.var.deps,
          member: c.var.console.member,
          secret,
          code: form.code ?? '',
          keepSessionId: c.var.console.session.id,
        })
      } catch (error) {
        if (!isDomainError(error, 'validation_failed')) throw error
        return setupPage(c, secret, fieldErrors(error.details), 422)
      }
      return c.redirect('/console/account?done=two-factor-on', 303)
    })
    .post('/console/account/two-factor/off', requireMember, async (c) => {
      const form = await readForm(c)
      try {
        await disableTwoFactor({
          deps: c.var.deps,
          member: c.var.console.member,
          code: form.code ?? '',
        })
      } catch (error) {
        if (!isDomainError(error, 'validation_failed')) throw error
        return accountPage(c, { errors: fieldErrors(error.details) }, 422)
      }
      return c.redirect('/console/account?done=two-factor-off', 303)
    })
}
