import type { Context } from 'hono'
import {
  JoinPage,
  MessagePage,
  OperatorSignInPage,
  SecondFactorPage,
  SignInPage,
} from '../../../views/console/auth-pages.tsx'
import { isDomainError } from '../../errors/domain-error.ts'
import { clientIp } from '../../http/client-ip.ts'
import type { AppEnv } from '../../http/env.ts'
import { createRouter } from '../../http/router.ts'
import {
  clearSessionCookie,
  consoleAssets,
  csrfFor,
  fieldErrors,
  liveAvailable,
  readForm,
  render,
  sessionToken,
  setSessionCookie,
} from '../http.ts'
import { findUsableLink } from '../links.ts'
import { joinWithLink } from '../members.ts'
import { endSession, findLiveSession, setSessionMode } from '../sessions.ts'
import { operatorSignIn, SIGN_IN_FAILED, signIn, verifySecondFactor } from '../sign-in.ts'

type Ctx = Context<AppEnv>

const assets = consoleAssets

async function currentSession(c: Ctx) {
  return findLiveSession(c.var.deps.db, sessionToken(c), c.var.deps.clock.now())
}

const expiredLink = (c: Ctx) =>
  render(
    c,
    MessagePage({
      assets,
      title: 'This link cannot be used',
      message:
        'It has expired or was already used. Ask an owner of your team for a new invite, or your developers for a new setup link.',
      link: { href: '/console/sign-in', label: 'Sign in' },
    }),
    404,
  )

/** Sign-in, sign-out, setup and invite links, two-factor, the mode switch, operator sign-in. */
export function consoleAuthRoutes() {
  return createRouter()
    .get('/console/sign-in', async (c) => {
      const live = await currentSession(c)
      if (live && live.session.stage === 'signed_in') {
        return c.redirect(live.session.operator ? '/console/operator' : '/console', 302)
      }
      const notice = c.req.query('signed_out') !== undefined ? 'You are signed out.' : undefined
      return render(c, SignInPage({ assets, csrf: await csrfFor(c), errors: {}, notice }))
    })
    .post('/console/sign-in', async (c) => {
      const form = await readForm(c)
      const email = (form.email ?? '').slice(0, 254)
      try {
        const result = await signIn({
          deps: c.var.deps,
          email,
          password: form.password ?? '',
          address: clientIp(c, c.var.deps.config.clientIpSource),
        })
        // Whatever session this browser held before ends: a new sign-in starts afresh.
        const before = await currentSession(c)
        if (before) await endSession(c.var.deps.db, before.session.id, c.var.deps.clock.now())
        setSessionCookie(c, result.token)
        return c.redirect(result.kind === 'signed_in' ? '/console' : '/console/two-factor', 303)
      } catch (error) {
        if (!isDomainError(error, 'unauthorized') && !isDomainError(error, 'rate_limited')) {
          throw error
        }
        const limited = error.code === 'rate_limited'
        if (limited) c.header('Retry-After', '900')
        const errors = { form: limited ? error.message : SIGN_IN_FAILED }
        return render(
          c,
          SignInPage({ assets, csrf: await csrfFor(c), errors, email }),
          limited ? 429 : 401,
        )
      }
    })
    .get('/console/two-factor', async (c) => {
      const live = await currentSession(c)
      if (!live?.member) return c.redirect('/console/sign-in', 302)
      if (live.session.stage === 'signed_in') return c.redirect('/console', 302)
      return render(c, SecondFactorPage({ assets, csrf: await csrfFor(c), errors: {} }))
    })
    .post('/console/two-factor', async (c) => {
      const form = await readForm(c)
      const live = await currentSession(c)
      if (!live?.member) return c.redirect('/console/sign-in', 303)
      if (live.session.stage === 'signed_in') return c.redirect('/console', 303)
      try {
        const token = await verifySecondFactor({
          deps: c.var.deps,
          member: live.member,
          sessionId: live.session.id,
          code: form.code ?? '',
        })
        setSessionCookie(c, token)
      } catch (error) {
        if (!isDomainError(error, 'validation_failed')) throw error
        const errors = fieldErrors(error.details)
        return render(c, SecondFactorPage({ assets, csrf: await csrfFor(c), errors }), 401)
      }
      return c.redirect('/console', 303)
    })
    .get('/console/join/:token', async (c) => {
      const link = await findUsableLink(c.var.deps.db, c.req.param('token'), c.var.deps.clock.now())
      if (!link) return expiredLink(c)
      return render(
        c,
        JoinPage({
          assets,
          csrf: await csrfFor(c),
          errors: {},
          action: `/console/join/${c.req.param('token')}`,
          providerName: link.provider_name,
          role: link.role,
        }),
      )
    })
    .post('/console/join/:token', async (c) => {
      const form = await readForm(c)
      const token = c.req.param('token')
      const { deps } = c.var
      const link = await findUsableLink(deps.db, token, deps.clock.now())
      if (!link) return expiredLink(c)
      try {
        const joined = await joinWithLink({
          deps,
          token,
          email: form.email ?? '',
          password: form.password ?? '',
        })
        const before = await currentSession(c)
        if (before) await endSession(deps.db, before.session.id, deps.clock.now())
        setSessionCookie(c, joined.token)
        return c.redirect('/console', 303)
      } catch (error) {
        if (isDomainError(error, 'not_found')) return expiredLink(c)
        if (!isDomainError(error, 'validation_failed')) throw error
        return render(
          c,
          JoinPage({
            assets,
            csrf: await csrfFor(c),
            errors: fieldErrors(error.details),
            action: `/console/join/${token}`,
            providerName: link.provider_name,
            role: link.role,
            email: form.email,
          }),
          422,
        )
      }
    })
    .post('/console/sign-out', async (c) => {
      await readForm(c)
      const live = await currentSession(c)
      if (live) await endSession(c.var.deps.db, live.session.id, c.var.deps.clock.now())
      clearSessionCookie(c)
      return c.redirect('/console/sign-in?signed_out', 303)
    })
    .post('/console/mode', async (c) => {
      const form = await readForm(c)
      const live = await currentSession(c)
      if (!live?.member || live.session.stage !== 'signed_in') {
        return c.redirect('/console/sign-in', 303)
      }
      const livemode = form.mode === 'live' && liveAvailable(c)
      await setSessionMode(c.var.deps.db, live.session.id, livemode)
      // Back to the page the switch was on; only a console path, so it is no open redirect.
      const back = form.back ?? ''
      return c.redirect(/^\/console(\/[a-z0-9/_-]*)?$/.test(back) ? back : '/console', 303)
    })
    .get('/console/operator/sign-in', async (c) => {
      return render(c, OperatorSignInPage({ assets, csrf: await csrfFor(c), errors: {} }))
    })
    .post('/console/operator/sign-in', async (c) => {
      const form = await readForm(c)
      try {
        const opened = await operatorSignIn({
          deps: c.var.deps,
          token: form.token ?? '',
          expected: c.var.deps.config.operatorToken,
          address: clientIp(c, c.var.deps.config.clientIpSource),
        })
        setSessionCookie(c, opened.token)
        return c.redirect('/console/operator', 303)
      } catch (error) {
        if (!isDomainError(error, 'unauthorized') && !isDomainError(error, 'rate_limited')) {
          throw error
        }
        const errors = {
          form: c.var.deps.config.operatorToken
            ? error.message
            : 'The operator console is closed: start Cashout with OPERATOR_TOKEN set.',
        }
        return render(
          c,
          OperatorSignInPage({ assets, csrf: await csrfFor(c), errors }),
          error.code === 'rate_limited' ? 429 : 401,
        )
      }
    })
}
