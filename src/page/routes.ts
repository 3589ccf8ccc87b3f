import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { FieldValues } from '../../views/claim/model.ts'
import {
  type Assets,
  FormPage,
  NoticePage,
  type PageFrame,
  ReviewPage,
  StatusPage,
  UnavailablePage,
} from '../../views/claim/pages.tsx'
import { assetPath } from '../assets/routes.ts'
import { randomToken } from '../crypto/bytes.ts'
import { DomainError, isDomainError } from '../errors/domain-error.ts'
import { errorResponse } from '../errors/handler.ts'
import { clientIp } from '../http/client-ip.ts'
import type { AppEnv } from '../http/env.ts'
import { readStrictForm } from '../http/form.ts'
import { renderPage } from '../http/html.ts'
import { createRouter } from '../http/router.ts'
import { fromOurPage } from '../http/same-origin.ts'
import { secureCookies } from '../http/secure-cookies.ts'
import { type Destination, parseDestination } from '../payouts/destination.ts'
import { destinationMessageKey } from '../payouts/destination-messages.ts'
import { submitClaim } from '../payouts/submit.ts'
import {
  type ClaimPageData,
  failureReason,
  isClaimLink,
  loadClaimPage,
  offerModel,
  pageState,
  reviewModel,
  statusModel,
} from './claim-page.ts'
import type { Translator } from './i18n/catalogue.ts'
import { isLocale } from './i18n/locales.ts'
import { languageHref, pageLanguage } from './language.ts'
import { providerStylesheet } from './provider-style.ts'
import { csrfToken, csrfValid } from './tokens.ts'
import { isViewer, isViewerSecret, newViewerSecret, rememberViewer } from './viewer.ts'

type Ctx = Context<AppEnv>

const CSRF_COOKIE = 'cashout_csrf'
const SESSION_COOKIE = 'cashout_session'
const FIELDS = ['type', 'payid_type', 'payid', 'account_name', 'bsb', 'account_number'] as const

/** Per IP, all page and status requests; per IP and per claim, form posts. */
const LIMITS = {
  view: { limit: 120, windowMs: 60_000 },
  postPerIp: { limit: 30, windowMs: 60_000 },
  postPerClaim: { limit: 20, windowMs: 10 * 60_000 },
}

const assets: Assets = { stylesheet: assetPath('claim.css'), script: assetPath('claim.js') }
const paths = (uuid: string) => ({
  page: `/c/${uuid}`,
  confirm: `/c/${uuid}/confirm`,
  status: `/c/${uuid}/status`,
})

/** The browser's anti-forgery cookie, created on first sight, scoped to claim pages. */
function csrfCookie(c: Ctx): string {
  const existing = getCookie(c, CSRF_COOKIE)
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing
  const fresh = randomToken(32)
  setCookie(c, CSRF_COOKIE, fresh, {
    path: '/c/',
    httpOnly: true,
    // Lax, so following the link from a mail app keeps the cookie an open tab's form relies on;
    // forged posts are still refused by the token and the origin checks.
    sameSite: 'Lax',
    secure: secureCookies(c),
    maxAge: 24 * 3600,
  })
  return fresh
}

/** Whether this browser's submit is the one that won the claim (see viewer.ts). */
async function hasSession(c: Ctx, claimId: string) {
  return isViewer(c.var.deps.db, claimId, getCookie(c, SESSION_COOKIE))
}

/** This browser's status secret for the claim, if it holds a well-formed one. */
function sessionSecret(c: Ctx): string | undefined {
  const value = getCookie(c, SESSION_COOKIE)
  return isViewerSecret(value) ? value : undefined
}

function setSessionCookie(c: Ctx, uuid: string, secret: string) {
  setCookie(c, SESSION_COOKIE, secret, {
    path: paths(uuid).page,
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(c),
    maxAge: 30 * 24 * 3600,
  })
}

/**
 * Given with the review, before "Cash out", so that every request of a double-click carries the
 * same secret and all of them land on the status once one has won. It grants nothing by itself.
 */
function offerSessionCookie(c: Ctx, uuid: string) {
  if (!sessionSecret(c)) setSessionCookie(c, uuid, newViewerSecret())
}

function limited(c: Ctx, rules: [string, { limit: number; windowMs: number }][]) {
  for (const [key, rule] of rules) {
    const verdict = c.var.deps.limiter.take(key, rule.limit, rule.windowMs)
    if (!verdict.ok) return verdict.retryAfterSeconds
  }
  return undefined
}

/**
 * What every page shares: its language, the switcher, the assets. The switcher of a claim's
 * pages leads back to the claim's page; elsewhere to the address itself (`?lang=`), so a page
 * never repeats its path, and the page every unusable link gets is one page.
 */
function frame(t: Translator, page?: string): PageFrame {
  return { t, languages: { current: t.locale, href: languageHref(page ?? '') }, assets }
}

/** Notices carry no switcher: they say one short thing, and lead back to the claim. */
function noticeFrame(t: Translator): PageFrame {
  return { t, assets }
}

function tooMany(c: Ctx, seconds: number) {
  const t = pageLanguage(c)
  c.header('Retry-After', String(seconds))
  return renderPage(
    c,
    NoticePage({
      frame: noticeFrame(t),
      heading: t.t('notice.too_many.heading'),
      message: t.count('notice.too_many.message', seconds),
    }),
    429,
  )
}

const unavailable = (c: Ctx) =>
  renderPage(c, UnavailablePage({ frame: frame(pageLanguage(c)) }), 404)

/**
 * A form post's checks, all before the claim is looked up, so they answer the same for a claim
 * that exists and for a made-up uuid (what cannot be a uuid is simply not found): the
 * per-address limit, the origin, the form's token (an HMAC over the uuid in the path), and only
 * then the per-claim limit, so forged posts cannot use up a customer's allowance.
 */
async function checkedPost(c: Ctx, uuid: string): Promise<Record<string, unknown> | Response> {
  const ip = clientIp(c, c.var.deps.config.clientIpSource)
  const busy = limited(c, [[`post:${ip}`, LIMITS.postPerIp]])
  if (busy) return tooMany(c, busy)
  if (!isClaimLink(uuid)) return unavailable(c)
  const body = await readStrictForm(c.req)
  if (!body) return postNotice(c, uuid, 'unreadable')
  if (await postRefused(c, uuid, body)) return postNotice(c, uuid, 'refused')
  const claimBusy = limited(c, [[`claim:${uuid}`, LIMITS.postPerClaim]])
  if (claimBusy) return tooMany(c, claimBusy)
  return body
}

/** Posts must come from this site's own pages, and carry the form's token. */
async function postRefused(c: Ctx, claimId: string, body: Record<string, unknown>) {
  const expected = new URL(c.var.deps.config.publicUrl).origin
  const headers = { origin: c.req.header('origin'), site: c.req.header('sec-fetch-site') }
  if (!fromOurPage(headers, expected)) return 'origin'
  const ok = await csrfValid(c.var.deps.vault, claimId, getCookie(c, CSRF_COOKIE), body.csrf)
  return ok ? undefined : 'token'
}

/**
 * Posts the page will not act on, each with a way back to the claim: a form whose origin or
 * token is wrong (403), and one no browser on our page sends (400: bytes that are not UTF-8, a
 * field twice, multipart).
 */
const POST_NOTICES = {
  refused: { status: 403, heading: 'notice.refused.heading', message: 'notice.refused.message' },
  unreadable: {
    status: 400,
    heading: 'notice.unreadable.heading',
    message: 'notice.unreadable.message',
  },
} as const

function postNotice(c: Ctx, claimId: string, kind: keyof typeof POST_NOTICES) {
  const { status, heading, message } = POST_NOTICES[kind]
  const t = pageLanguage(c)
  const page = paths(claimId).page
  return renderPage(
    c,
    NoticePage({ frame: noticeFrame(t), heading: t.t(heading), message: t.t(message), link: page }),
    status,
  )
}

async function showForm(
  c: Ctx,
  t: Translator,
  data: ClaimPageData,
  values: FieldValues,
  errors: Record<string, string>,
) {
  const { claim } = data
  const page = paths(claim.id).page
  const csrf = await csrfToken(c.var.deps.vault, claim.id, csrfCookie(c))
  const retryReason =
    data.payout?.status === 'failed' ? failureReason(t, data.payout, false) : undefined
  return renderPage(
    c,
    FormPage({
      frame: frame(t, page),
      offer: offerModel(data, c.var.deps.config.displayTimeZone, t),
      form: { action: page, csrf, values, errors, retryReason },
    }),
    Object.keys(errors).length > 0 ? 400 : 200,
  )
}

async function showReview(c: Ctx, t: Translator, data: ClaimPageData, destination: Destination) {
  const uuid = data.claim.id
  const offer = offerModel(data, c.var.deps.config.displayTimeZone, t)
  const csrf = await csrfToken(c.var.deps.vault, uuid, csrfCookie(c))
  offerSessionCookie(c, uuid)
  return renderPage(
    c,
    ReviewPage({
      frame: frame(t, paths(uuid).page),
      offer,
      review: reviewModel(destination, offer.cash, { action: paths(uuid).page, csrf }, t),
      confirmAction: paths(uuid).confirm,
    }),
  )
}

function showStatus(c: Ctx, t: Translator, data: ClaimPageData) {
  const tz = c.var.deps.config.displayTimeZone
  const page = paths(data.claim.id)
  return renderPage(
    c,
    StatusPage({
      frame: frame(t, page.page),
      offer: offerModel(data, tz, t),
      status: statusModel(data, tz, page.status, t),
    }),
  )
}

/** An open claim shows its form; any other state only to the browser that cashed it out. */
async function showClaim(c: Ctx, data: ClaimPageData | undefined) {
  if (!data) return unavailable(c)
  const t = pageLanguage(c, { claimLocale: data.claim.locale })
  if (data.claim.status === 'open') return showForm(c, t, data, {}, {})
  return (await hasSession(c, data.claim.id)) ? showStatus(c, t, data) : unavailable(c)
}

/**
 * A post to a claim no longer open goes to the claim's page, which shows the status only to the
 * browser whose submit won (a repeated "Cash out" lands there, not on a dead end) and to anyone
 * else the page every unusable link gets. Nothing is set here: an old form proves only that its
 * browser saw the claim while it was open, not that it cashed it out.
 */
function followClaim(c: Ctx, uuid: string) {
  return c.redirect(paths(uuid).page, 303)
}

function fieldValues(body: Record<string, unknown>): FieldValues {
  const values: FieldValues = {}
  for (const field of FIELDS) {
    const value = body[field]
    if (typeof value === 'string') values[field] = value.slice(0, 400)
  }
  return values
}

/**
 * The form carries both kinds of field (scripts hide the unused ones); only the kind the
 * customer chose is the destination. Without a choice, nothing is passed on but that.
 */
function chosenFields(values: FieldValues): Record<string, string | undefined> {
  if (values.type === 'payid') {
    return { type: 'payid', payid_type: values.payid_type ?? '', payid: values.payid ?? '' }
  }
  if (values.type === 'bank') {
    return {
      type: 'bank',
      account_name: values.account_name ?? '',
      bsb: values.bsb ?? '',
      account_number: values.account_number ?? '',
    }
  }
  return { type: values.type }
}

/** Each field's first message, in the page's language (the parser speaks English). */
function errorMap(t: Translator, errors: { field: string; message: string }[]) {
  const map: Record<string, string> = {}
  for (const e of errors) {
    const known = destinationMessageKey(e.message)
    map[e.field] ??= known ? t.t(`validation.${known.key}`, known.values) : e.message
  }
  return map
}

export function claimPageRoutes() {
  return createRouter()
    .get('/assets/provider/:file', providerStylesheet)
    .get('/c/:uuid', async (c) => {
      const ip = clientIp(c, c.var.deps.config.clientIpSource)
      const wait = limited(c, [[`view:${ip}`, LIMITS.view]])
      if (wait) return tooMany(c, wait)
      return showClaim(c, await loadClaimPage(c.var.deps, c.req.param('uuid')))
    })
    .get('/c/:uuid/status', async (c) => {
      const ip = clientIp(c, c.var.deps.config.clientIpSource)
      const wait = limited(c, [[`view:${ip}`, LIMITS.view]])
      if (wait) {
        c.header('Retry-After', String(wait))
        return errorResponse(c, new DomainError('rate_limited'))
      }
      const data = await loadClaimPage(c.var.deps, c.req.param('uuid'))
      if (!data || !(await hasSession(c, data.claim.id)))
        return errorResponse(c, new DomainError('not_found'))
      return c.json({ state: pageState(data.claim) }, 200)
    })
    .post('/c/:uuid', async (c) => {
      const uuid = c.req.param('uuid')
      const checked = await checkedPost(c, uuid)
      if (checked instanceof Response) return checked
      const data = await loadClaimPage(c.var.deps, uuid)
      if (!data) return unavailable(c)
      if (data.claim.status !== 'open') return followClaim(c, uuid)
      const t = pageLanguage(c, { claimLocale: data.claim.locale, chosen: checked.lang })
      const values = fieldValues(checked)
      const parsed = parseDestination(chosenFields(values))
      // A change of language keeps the step the customer was on, and what they typed.
      if (isLocale(checked.lang)) {
        return checked.step === 'review' && parsed.ok
          ? showReview(c, t, data, parsed.destination)
          : showForm(c, t, data, values, {})
      }
      if (checked.action === 'change') return showForm(c, t, data, values, {})
      if (!parsed.ok) return showForm(c, t, data, values, errorMap(t, parsed.errors))
      return showReview(c, t, data, parsed.destination)
    })
    .post('/c/:uuid/confirm', async (c) => {
      const uuid = c.req.param('uuid')
      const checked = await checkedPost(c, uuid)
      if (checked instanceof Response) return checked
      const data = await loadClaimPage(c.var.deps, uuid)
      if (!data) return unavailable(c)
      if (data.claim.status !== 'open') return followClaim(c, uuid)
      const t = pageLanguage(c, { claimLocale: data.claim.locale })
      const values = fieldValues(checked)
      const parsed = parseDestination(chosenFields(values))
      if (!parsed.ok) return showForm(c, t, data, values, errorMap(t, parsed.errors))
      const secret = sessionSecret(c) ?? newViewerSecret()
      try {
        await submitClaim({
          deps: c.var.deps,
          claimId: data.claim.id,
          destination: parsed.destination,
        })
      } catch (error) {
        if (isDomainError(error, 'validation_failed')) {
          return showForm(c, t, data, values, errorMap(t, error.details ?? []))
        }
        if (!isDomainError(error, 'claim_not_open')) throw error
        return followClaim(c, uuid)
      }
      // Only here, after this browser's own submit moved the claim, does its secret count.
      await rememberViewer(c.var.deps.db, data.claim.id, secret, c.var.deps.clock.now())
      setSessionCookie(c, uuid, secret)
      return followClaim(c, uuid)
    })
}
