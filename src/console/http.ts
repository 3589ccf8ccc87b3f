import type { Context, ErrorHandler, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { MessagePage } from '../../views/console/auth-pages.tsx'
import type { Chrome, ConsoleAssets } from '../../views/console/layout.tsx'
import { SECTIONS } from '../../views/console/layout.tsx'
import { assetPath } from '../assets/routes.ts'
import { type Actor, OPERATOR } from '../audit/record.ts'
import { constantTimeEqual, randomToken } from '../crypto/bytes.ts'
import type { ConsoleSession, Member, MemberRole } from '../db/schema.ts'
import { statusOf } from '../errors/codes.ts'
import { DomainError, type FieldError } from '../errors/domain-error.ts'
import { setRetryAfter, toDomainError } from '../errors/handler.ts'
import type { AppEnv } from '../http/env.ts'
import { readStrictForm } from '../http/form.ts'
import { renderPage } from '../http/html.ts'
import { fromOurPage } from '../http/same-origin.ts'
import { secureCookies } from '../http/secure-cookies.ts'
import type { Scope } from '../modes.ts'
import { memberActor } from './members.ts'
import { findLiveSession } from './sessions.ts'

export const consoleAssets: ConsoleAssets = {
  stylesheet: assetPath('console.css'),
  script: assetPath('console.js'),
}

/** What a signed-in store owner's request carries. */
export interface MemberContext {
  session: ConsoleSession
  member: Member
  provider: { id: string; name: string; suspended: boolean }
  role: MemberRole
  /** The provider's data in the mode the session is looking at. */
  scope: Scope
  actor: Actor
}

export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & { console: MemberContext; csrf: string }
}

export interface OperatorConsoleEnv {
  Variables: AppEnv['Variables'] & { operatorSession: ConsoleSession; csrf: string; actor: Actor }
}

/** `__Host-` pins the cookie to this exact origin, over https only (RFC 6265bis). */
function cookieName<E extends AppEnv>(c: Context<E>, base: string) {
  return secureCookies(c) ? `__Host-${base}` : base
}

const SESSION = 'cashout_console'
const CSRF = 'cashout_console_csrf'

export function setSessionCookie<E extends AppEnv>(c: Context<E>, token: string) {
  setCookie(c, cookieName(c, SESSION), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(c),
  })
}

export function clearSessionCookie<E extends AppEnv>(c: Context<E>) {
  setCookie(c, cookieName(c, SESSION), '', {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(c),
    maxAge: 0,
  })
}

export function sessionToken<E extends AppEnv>(c: Context<E>): string | undefined {
  return getCookie(c, cookieName(c, SESSION))
}

/**
 * The browser's anti-forgery value: a random cookie, and forms carry an HMAC of it. A page on
 * another site can neither read the cookie nor compute the token.
 */
export async function csrfFor<E extends AppEnv>(c: Context<E>): Promise<string> {
  let cookie = getCookie(c, cookieName(c, CSRF))
  if (!cookie || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) {
    cookie = randomToken(32)
    setCookie(c, cookieName(c, CSRF), cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies(c),
    })
  }
  return c.var.deps.vault.hmac(`console-csrf:${cookie}`)
}

/** Thrown when a form did not come from our own page: shown as "This form has expired". */
export function refusedForm(): DomainError {
  return new DomainError('forbidden', {
    message: 'For your safety this form was not accepted. Go back, reload the page and try again.',
  })
}

/**
 * Reads a console form post: only from our own pages (Origin / Fetch Metadata), only with the
 * browser's token, only as our pages send it (strict UTF-8, each field once).
 */
export async function readForm<E extends AppEnv>(c: Context<E>): Promise<Record<string, string>> {
  const expected = new URL(c.var.deps.config.publicUrl).origin
  const headers = { origin: c.req.header('origin'), site: c.req.header('sec-fetch-site') }
  if (!fromOurPage(headers, expected)) throw refusedForm()
  const body = await readStrictForm(c.req)
  if (!body) {
    throw new DomainError('bad_request', {
      message:
        'This form could not be read: it did not arrive the way our pages send it. Go back, reload the page and try again.',
    })
  }
  const cookie = getCookie(c, cookieName(c, CSRF))
  const token = body.csrf
  if (!cookie || typeof token !== 'string') throw refusedForm()
  if (!constantTimeEqual(await c.var.deps.vault.hmac(`console-csrf:${cookie}`), token)) {
    throw refusedForm()
  }
  const form: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) form[key] = value.slice(0, 2000)
  return form
}

/** Field errors of a `validation_failed`, keyed by field, for a form to show beside each field. */
export function fieldErrors(details: FieldError[] | undefined): Record<string, string> {
  const map: Record<string, string> = {}
  for (const d of details ?? []) map[d.field || 'form'] ??= d.message
  return map
}

/** Whether the deployment can show live data (a live rail is configured). */
export function liveAvailable<E extends AppEnv>(c: Context<E>) {
  return c.var.deps.config.liveRail !== undefined
}

/** Signed-in member pages: anyone else goes to sign-in; a half-signed-in one to the code. */
export const requireMember: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const { db, clock } = c.var.deps
  const live = await findLiveSession(db, sessionToken(c), clock.now())
  if (!live) return redirectTo(c, '/console/sign-in')
  if (live.session.operator) return redirectTo(c, '/console/operator')
  if (live.session.stage === 'totp' || !live.member) return redirectTo(c, '/console/two-factor')
  const provider = await db
    .selectFrom('providers')
    .select(['id', 'name', 'suspended_at'])
    .where('id', '=', live.member.provider_id)
    .executeTakeFirstOrThrow()
  const livemode = live.session.livemode && liveAvailable(c)
  c.set('console', {
    session: live.session,
    member: live.member,
    provider: { id: provider.id, name: provider.name, suspended: provider.suspended_at !== null },
    role: live.member.role,
    scope: { providerId: provider.id, livemode },
    actor: memberActor(live.member),
  })
  c.set('csrf', await csrfFor(c))
  await next()
}

/** Operator pages: only an operator session. */
export const requireOperatorSession: MiddlewareHandler<OperatorConsoleEnv> = async (c, next) => {
  const live = await findLiveSession(c.var.deps.db, sessionToken(c), c.var.deps.clock.now())
  if (!live?.session.operator) return redirectTo(c, '/console/operator/sign-in')
  c.set('operatorSession', live.session)
  c.set('actor', OPERATOR)
  c.set('csrf', await csrfFor(c))
  await next()
}

function redirectTo<E extends AppEnv>(c: Context<E>, path: string) {
  // A form posted after the session ended lands on sign-in, not on a 405.
  return c.redirect(path, c.req.method === 'GET' ? 302 : 303)
}

/**
 * What each role may do. Viewers read everything; editors also change rules, cancel claims and
 * resend webhooks; owners alone touch money settings, keys, the team and the endpoint.
 */
const PERMISSIONS = {
  'rules.edit': ['owner', 'editor'],
  'claims.cancel': ['owner', 'editor'],
  'webhooks.replay': ['owner', 'editor'],
  'webhooks.test': ['owner', 'editor'],
  'webhooks.manage': ['owner'],
  'float.manage': ['owner'],
  'keys.manage': ['owner'],
  'team.manage': ['owner'],
  'settings.edit': ['owner'],
} as const satisfies Record<string, readonly MemberRole[]>

export type Permission = keyof typeof PERMISSIONS

export function can(role: MemberRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly MemberRole[]).includes(role)
}

/** Every console action checks the role on the server, whatever the page showed. */
export function assertCan(c: Context<ConsoleEnv>, permission: Permission) {
  const { role } = c.var.console
  if (!can(role, permission)) {
    throw new DomainError('forbidden', {
      message: `Your role (${role}) cannot do this. Ask an owner of your team.`,
    })
  }
}

/** The header, navigation and mode switch around a member's page. */
export function memberChrome(c: Context<ConsoleEnv>, current: string): Chrome {
  const { member, provider, role, scope } = c.var.console
  return {
    assets: consoleAssets,
    csrf: c.var.csrf,
    heading: provider.name,
    who: `${member.email} (${role})`,
    livemode: scope.livemode,
    liveAvailable: liveAvailable(c),
    sections: SECTIONS,
    current,
    path: c.req.path,
    accountHref: '/console/account',
    signOutAction: '/console/sign-out',
    modeAction: '/console/mode',
  }
}

export const OPERATOR_SECTIONS = [
  { id: 'providers', label: 'Providers', path: '/console/operator' },
  { id: 'payouts', label: 'Payouts', path: '/console/operator/payouts' },
  { id: 'activity', label: 'Activity', path: '/console/operator/activity' },
]

export function operatorChrome(c: Context<OperatorConsoleEnv>, current: string): Chrome {
  return {
    assets: consoleAssets,
    csrf: c.var.csrf,
    heading: 'Operator',
    who: 'Signed in with the operator token',
    livemode: false,
    liveAvailable: liveAvailable(c),
    sections: OPERATOR_SECTIONS,
    current,
    path: c.req.path,
    signOutAction: '/console/sign-out',
  }
}

export function render<E extends AppEnv>(
  c: Context<E>,
  page: JSX.Element,
  status: ContentfulStatusCode = 200,
) {
  return renderPage(c, page, status)
}

const TITLES: Partial<Record<number, string>> = {
  403: 'Not allowed',
  404: 'Not found',
  409: 'Could not do that',
  422: 'Could not do that',
  429: 'Too many attempts',
}

/** Console errors are pages, not JSON: the same codes and statuses, written for a person. */
export function consoleErrorHandler(fallback: ErrorHandler<AppEnv>): ErrorHandler<AppEnv> {
  return async (err, c) => {
    const known = toDomainError(err)
    if (!known) {
      const response = await fallback(err, c)
      const requestId = c.get('requestId') ?? ''
      return render(
        c,
        MessagePage({
          assets: consoleAssets,
          title: 'Something went wrong',
          message: `Something went wrong on our side and nothing was changed. If it happens again, quote ${requestId}.`,
          link: { href: '/console', label: 'Back to the console' },
        }),
        response.status as ContentfulStatusCode,
      )
    }
    const status = statusOf(known.code)
    if (known.code === 'rate_limited') {
      // The limit that refused says when it lifts; the page's words and the header agree.
      setRetryAfter(c, known.retryAfterSeconds ?? 60)
    }
    return render(
      c,
      MessagePage({
        assets: consoleAssets,
        title: TITLES[status] ?? 'Could not do that',
        message: known.message,
        link: { href: '/console', label: 'Back to the console' },
      }),
      status,
    )
  }
}
