import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { manualClock } from '../../src/clock.ts'
import { totpAt } from '../../src/console/totp.ts'
import { sha256Hex } from '../../src/crypto/bytes.ts'
import type { Db } from '../../src/db/schema.ts'
import { buildTestApp, TEST_PASSWORD_ITERATIONS } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, expectError, registerProvider } from '../support/client.ts'
import { ConsoleBrowser, join, ownerOf, PASSWORD, pathOf, uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

const INCORRECT = 'Email or password is incorrect.'
const MINUTE = 60_000

function appWithClock(db: Db, env: Record<string, string> = {}) {
  const clock = manualClock('2026-03-01T00:00:00Z')
  const { app } = buildTestApp(db, { clock, env })
  return { app, clock }
}

async function signIn(app: App, email: string, password = PASSWORD, browser?: ConsoleBrowser) {
  const b = browser ?? new ConsoleBrowser(app)
  await b.open('/console/sign-in')
  const res = await b.submit('/console/sign-in', { email, password })
  return { browser: b, res }
}

/** The session cookie a response set, by name, with its attributes. */
function sessionCookie(headers: Headers, name = 'cashout_console') {
  const line = headers.getSetCookie().find((l) => l.startsWith(`${name}=`))
  if (!line) throw new Error(`no ${name} cookie in ${headers.getSetCookie().join(' | ')}`)
  const [pair = '', ...attrs] = line.split(';').map((s) => s.trim())
  return { value: pair.slice(name.length + 1), attrs: attrs.map((a) => a.toLowerCase()) }
}

/** A request with only this session cookie, as a stolen or kept cookie would be replayed. */
function withCookie(app: App, path: string, cookie: string, name = 'cashout_console') {
  return app.request(path, { headers: { Cookie: `${name}=${cookie}` } })
}

async function sessionCount(db: Db) {
  const row = await db
    .selectFrom('console_sessions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('console sign-in: password hashes', () => {
  test('a hash made with fewer rounds than today’s is replaced at the next sign-in', async ({
    db,
  }) => {
    const first = buildTestApp(db)
    const { email } = await ownerOf(first.app)
    const storedHash = async () =>
      (
        await db
          .selectFrom('console_members')
          .select('password_hash')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).password_hash
    const before = await storedHash()
    expect(before.split('$')[1]).toBe(String(TEST_PASSWORD_ITERATIONS))
    // Later, the deployment asks for more rounds: the old hash still signs in, and is replaced.
    const later = buildTestApp(db)
    later.deps.config.passwordIterations = TEST_PASSWORD_ITERATIONS + 1000
    const { res } = await signIn(later.app, email)
    expect(res.status).toBe(303)
    const after = await storedHash()
    expect(after).not.toBe(before)
    expect(after.split('$')[1]).toBe(String(TEST_PASSWORD_ITERATIONS + 1000))
    expect((await signIn(later.app, email)).res.status).toBe(303)
    expect((await signIn(later.app, email, 'not the password at all')).res.status).toBe(401)
  })
})

describe('console sign-in: cookies', () => {
  test('the setup link makes a signed-in owner who sees the overview', async ({ harness }) => {
    const { browser, email } = await ownerOf(harness.app)
    const page = await browser.open('/console')
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    expect(text).toContain('Overview')
    expect(text).toContain(`${email} (owner)`)
  })

  test('on http the session cookie is HttpOnly, SameSite=Lax, Path=/ and not Secure', async ({
    harness,
  }) => {
    const { email } = await ownerOf(harness.app)
    const { res } = await signIn(harness.app, email)
    expect(res.status).toBe(303)
    const cookie = sessionCookie(res.headers)
    expect(cookie.attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']))
    expect(cookie.attrs).not.toContain('secure')
    expect(cookie.attrs.some((a) => a.startsWith('domain='))).toBe(false)
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  test('on https it is __Host-cashout_console, Secure, and works', async ({ db }) => {
    const { app } = appWithClock(db, { PUBLIC_URL: 'https://cashout.example' })
    const provider = await registerProvider(app)
    expect(provider.consoleSetupUrl).toMatch(/^https:\/\/cashout\.example\/console\/join\//)
    const { email, browser } = await join(app, provider.consoleSetupUrl)
    const { res } = await signIn(app, email)
    const cookie = sessionCookie(res.headers, '__Host-cashout_console')
    expect(cookie.attrs).toEqual(
      expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', 'secure']),
    )
    expect(cookie.attrs.some((a) => a.startsWith('domain='))).toBe(false)
    expect(res.headers.getSetCookie().some((l) => l.startsWith('cashout_console='))).toBe(false)
    expect((await browser.open('/console')).status).toBe(200)
    // The unprefixed name means nothing on https.
    const plain = await withCookie(app, '/console', cookie.value)
    expect(plain.status).toBe(302)
    const prefixed = await withCookie(app, '/console', cookie.value, '__Host-cashout_console')
    expect(prefixed.status).toBe(200)
  })

  test('the database keeps only the SHA-256 of the session token', async ({ harness, db }) => {
    const { email } = await ownerOf(harness.app)
    const { res } = await signIn(harness.app, email)
    const token = sessionCookie(res.headers).value
    const rows = await db.selectFrom('console_sessions').selectAll().execute()
    expect(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      token,
    )
    expect(rows.map((r) => r.token_sha256)).toContain(await sha256Hex(token))
  })
})

describe('console sign-in: forms from elsewhere', () => {
  test('a sign-in without the token, with a wrong one, from another origin or cross-site is refused', async ({
    harness,
    db,
  }) => {
    const { email } = await ownerOf(harness.app)
    const before = await sessionCount(db)
    const browser = new ConsoleBrowser(harness.app)
    await browser.open('/console/sign-in')
    const fields = { email, password: PASSWORD }
    const attempts = [
      await browser.post('/console/sign-in', fields),
      await browser.post('/console/sign-in', { ...fields, csrf: 'f'.repeat(64) }),
      await browser.post(
        '/console/sign-in',
        { ...fields, csrf: browser.csrf },
        { Origin: 'https://evil.example' },
      ),
      await browser.post(
        '/console/sign-in',
        { ...fields, csrf: browser.csrf },
        { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' },
      ),
    ]
    for (const res of attempts) {
      expect(res.status).toBe(403)
      expect(textOf(res.html)).toContain('For your safety this form was not accepted')
      expect(res.headers.getSetCookie().some((l) => l.startsWith('cashout_console='))).toBe(false)
    }
    expect(await sessionCount(db)).toBe(before)
    // The same browser, posting properly, signs in: the refusals were about the form alone.
    expect((await browser.submit('/console/sign-in', fields)).status).toBe(303)
  })
})

describe('console sessions: expiry and sign-out', () => {
  test('a session ends after 30 idle minutes; using it keeps it alive', async ({ db }) => {
    const { app, clock } = appWithClock(db)
    const { browser } = await ownerOf(app)
    clock.advance(20 * MINUTE)
    expect((await browser.open('/console')).status).toBe(200)
    clock.advance(29 * MINUTE)
    expect((await browser.open('/console')).status).toBe(200)
    clock.advance(30 * MINUTE)
    const lapsed = await browser.open('/console')
    expect(lapsed.status).toBe(302)
    expect(lapsed.headers.get('location')).toBe('/console/sign-in')
  })

  test('a session ends 12 hours after sign-in however busy it is', async ({ db }) => {
    const { app, clock } = appWithClock(db)
    const { browser } = await ownerOf(app)
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      clock.advance(20 * MINUTE)
      expect((await browser.open('/console')).status).toBe(200)
    }
    clock.advance(20 * MINUTE)
    const lapsed = await browser.open('/console')
    expect(lapsed.status).toBe(302)
    expect(lapsed.headers.get('location')).toBe('/console/sign-in')
  })

  test('sign-out ends the session on the server: the old cookie leads to sign-in', async ({
    harness,
    db,
  }) => {
    const { email } = await ownerOf(harness.app)
    const { browser, res } = await signIn(harness.app, email)
    const token = sessionCookie(res.headers).value
    await browser.open('/console')
    const out = await browser.submit('/console/sign-out')
    expect(out.status).toBe(303)
    expect(out.headers.get('location')).toBe('/console/sign-in?signed_out')
    expect(sessionCookie(out.headers).attrs).toContain('max-age=0')
    const replayed = await withCookie(harness.app, '/console', token)
    expect(replayed.status).toBe(302)
    expect(replayed.headers.get('location')).toBe('/console/sign-in')
    const row = await db
      .selectFrom('console_sessions')
      .select('ended_at')
      .where('token_sha256', '=', await sha256Hex(token))
      .executeTakeFirstOrThrow()
    expect(row.ended_at).not.toBeNull()
    const page = await browser.open('/console/sign-in?signed_out')
    expect(textOf(page.html)).toContain('You are signed out.')
  })

  test('signing in again ends the session the browser held before', async ({ harness }) => {
    const { email } = await ownerOf(harness.app)
    const { browser, res } = await signIn(harness.app, email)
    const first = sessionCookie(res.headers).value
    await browser.submit('/console/sign-in', { email, password: PASSWORD })
    expect((await withCookie(harness.app, '/console', first)).status).toBe(302)
    expect((await browser.open('/console')).status).toBe(200)
  })
})

describe('console sign-in: throttling', () => {
  test('5 wrong passwords rest the account for 15 minutes, with the same answer throughout', async ({
    db,
  }) => {
    const { app, clock } = appWithClock(db)
    const { email } = await ownerOf(app)
    const browser = new ConsoleBrowser(app)
    await browser.open('/console/sign-in')
    for (let i = 0; i < 5; i++) {
      const wrong = await browser.submit('/console/sign-in', {
        email,
        password: `wrong-${i}-xxxxxx`,
      })
      expect(wrong.status).toBe(401)
      expect(textOf(wrong.html)).toContain(INCORRECT)
    }
    const resting = await browser.submit('/console/sign-in', { email, password: PASSWORD })
    expect(resting.status).toBe(401)
    expect(textOf(resting.html)).toContain(INCORRECT)
    clock.advance(14 * MINUTE)
    expect((await browser.submit('/console/sign-in', { email, password: PASSWORD })).status).toBe(
      401,
    )
    clock.advance(MINUTE)
    const back = await browser.submit('/console/sign-in', { email, password: PASSWORD })
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toBe('/console')
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'member.locked')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]?.actor_type).toBe('system')
  })

  test('an unknown email answers exactly like a wrong password', async ({ harness }) => {
    const { email } = await ownerOf(harness.app)
    const stranger = uniqueEmail('nobody')
    const browser = new ConsoleBrowser(harness.app)
    await browser.open('/console/sign-in')
    const wrong = await browser.submit('/console/sign-in', { email, password: 'not the password' })
    const unknown = await browser.submit('/console/sign-in', {
      email: stranger,
      password: 'not the password',
    })
    expect(unknown.status).toBe(wrong.status)
    expect(wrong.status).toBe(401)
    expect(unknown.html.replaceAll(stranger, 'EMAIL')).toBe(wrong.html.replaceAll(email, 'EMAIL'))
    expect(textOf(unknown.html)).toContain(INCORRECT)
  })

  test('too many attempts from one address are refused with 429; another address is not', async ({
    harness,
  }) => {
    const browser = new ConsoleBrowser(harness.app, '198.51.100.20')
    await browser.open('/console/sign-in')
    // Over-long passwords are refused before hashing, which keeps 30 attempts quick.
    const fields = { email: 'nobody@example.com', password: 'x'.repeat(300) }
    for (let i = 0; i < 30; i++) {
      expect((await browser.submit('/console/sign-in', fields)).status).toBe(401)
    }
    const limited = await browser.submit('/console/sign-in', fields)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBeTruthy()
    expect(textOf(limited.html)).toContain('Too many sign-in attempts from this network')
    const elsewhere = new ConsoleBrowser(harness.app, '198.51.100.21')
    await elsewhere.open('/console/sign-in')
    expect((await elsewhere.submit('/console/sign-in', fields)).status).toBe(401)
  })
})

describe('console links', () => {
  test('a setup link works once; the second use is a "cannot be used" page', async ({
    harness,
  }) => {
    const provider = await registerProvider(harness.app)
    await join(harness.app, provider.consoleSetupUrl)
    const again = new ConsoleBrowser(harness.app)
    const page = await again.open(pathOf(provider.consoleSetupUrl))
    expect(page.status).toBe(404)
    expect(textOf(page.html)).toContain('This link cannot be used')
  })

  test('a setup link lapses after 7 days', async ({ db }) => {
    const { app, clock } = appWithClock(db)
    const provider = await registerProvider(app)
    const browser = new ConsoleBrowser(app)
    clock.advance(7 * 24 * 60 * MINUTE - MINUTE)
    expect((await browser.open(pathOf(provider.consoleSetupUrl))).status).toBe(200)
    clock.advance(MINUTE)
    const lapsed = await browser.open(pathOf(provider.consoleSetupUrl))
    expect(lapsed.status).toBe(404)
    expect(textOf(lapsed.html)).toContain('This link cannot be used')
  })

  test('POST /cashout/console/setup-link makes a new working owner link', async ({ harness }) => {
    const provider = await registerProvider(harness.app)
    expectError(await call(harness.app, 'POST', '/cashout/console/setup-link'), 401, 'unauthorized')
    const made = await call(harness.app, 'POST', '/cashout/console/setup-link', {
      key: provider.key,
    })
    expect(made.status).toBe(201)
    expect(made.body.console_setup_url).toMatch(/^http:\/\/cashout\.test\/console\/join\//)
    expect(made.body.console_setup_url).not.toBe(provider.consoleSetupUrl)
    const { browser, email } = await join(harness.app, made.body.console_setup_url)
    expect(textOf((await browser.open('/console')).html)).toContain(`${email} (owner)`)
  })
})

describe('console password change', () => {
  test('needs the current password, and ends every other session', async ({ harness }) => {
    const { email, browser: first } = await ownerOf(harness.app)
    const { browser: second } = await signIn(harness.app, email)
    await first.open('/console/account')
    const wrong = await first.submit('/console/account/password', {
      current_password: 'not my password at all',
      new_password: 'a brand new passphrase',
    })
    expect(wrong.status).toBe(422)
    expect(textOf(wrong.html)).toContain('That is not your current password.')
    expect(wrong.html).toMatch(/id="f-current_password-error"/)
    expect((await second.open('/console')).status).toBe(200)

    const done = await first.submit('/console/account/password', {
      current_password: PASSWORD,
      new_password: 'a brand new passphrase',
    })
    expect(done.status).toBe(303)
    expect(sessionCookie(done.headers).value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(done.headers.get('location')).toBe('/console/account?done=password')
    expect(textOf((await first.open('/console/account?done=password')).html)).toContain(
      'Your password is changed',
    )
    expect((await second.open('/console')).status).toBe(302)
    expect((await signIn(harness.app, email)).res.status).toBe(401)
    expect((await signIn(harness.app, email, 'a brand new passphrase')).res.status).toBe(303)
  })

  test('a too-short new password is refused beside its field', async ({ harness }) => {
    const { browser } = await ownerOf(harness.app)
    await browser.open('/console/account')
    const res = await browser.submit('/console/account/password', {
      current_password: PASSWORD,
      new_password: 'short',
    })
    expect(res.status).toBe(422)
    expect(res.html).toMatch(/id="f-new_password-error"/)
    expect(textOf(res.html)).toContain('Use at least 12 characters.')
  })
})

/** Opens the two-factor setup page and reads what a person would type into their app. */
async function startTwoFactor(browser: ConsoleBrowser) {
  const setup = await browser.open('/console/account/two-factor')
  expect(setup.status).toBe(200)
  const grouped = /class="otp-key"[^>]*>([^<]+)</.exec(setup.html)?.[1] ?? ''
  const proposal = /name="proposal" value="([^"]+)"/.exec(setup.html)?.[1] ?? ''
  return { html: setup.html, secret: grouped.replace(/\s/g, ''), grouped, proposal }
}

async function turnOnTwoFactor(browser: ConsoleBrowser, now: Date) {
  const { secret, proposal } = await startTwoFactor(browser)
  const done = await browser.submit('/console/account/two-factor', {
    proposal,
    code: await totpAt(secret, now),
  })
  expect(done.status).toBe(303)
  return secret
}

async function totpStage(app: App, email: string) {
  const { browser, res } = await signIn(app, email)
  expect(res.status).toBe(303)
  expect(res.headers.get('location')).toBe('/console/two-factor')
  await browser.open('/console/two-factor')
  return { browser, token: sessionCookie(res.headers).value }
}

describe('console two-factor', () => {
  test('turning it on needs a right code for the secret shown; then sign-in asks for the code', async ({
    db,
  }) => {
    const { app, clock } = appWithClock(db)
    const { browser, email } = await ownerOf(app)
    const setup = await startTwoFactor(browser)
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(setup.grouped).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
    expect(setup.html).toContain(
      `otpauth://totp/Cashout%3A${encodeURIComponent(email)}?secret=${setup.secret}`,
    )

    const wrong = await browser.submit('/console/account/two-factor', {
      proposal: setup.proposal,
      code: '000000',
    })
    expect(wrong.status).toBe(422)
    expect(textOf(wrong.html)).toContain('That code is not right')
    // A secret of the form's own choosing is not accepted.
    const swapped = await browser.submit('/console/account/two-factor', {
      proposal: 'eyJhbGciOiJkaXIifQ..forged',
      code: await totpAt(setup.secret, clock.now()),
    })
    expect(swapped.status).toBe(403)
    const off = await db
      .selectFrom('console_members')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    expect(off.totp_enabled_at).toBeNull()

    const on = await browser.submit('/console/account/two-factor', {
      proposal: setup.proposal,
      code: await totpAt(setup.secret, clock.now()),
    })
    expect(on.status).toBe(303)
    expect(textOf((await browser.open('/console/account')).html)).toContain('Two-factor On since')

    clock.advance(30_000)
    const { browser: half, token } = await totpStage(app, email)
    for (const path of [
      '/console',
      '/console/team',
      '/console/account',
      '/console/activity',
      '/console/rules',
    ]) {
      const res = await half.open(path)
      expect(res.status, path).toBe(302)
      expect(res.headers.get('location')).toBe('/console/two-factor')
    }
    const codePage = await half.open('/console/two-factor')
    expect(codePage.html).toMatch(/<label for="f-code">Code<\/label>/)
    const forged = await half.submit('/console/team/invite', { role: 'owner' })
    expect(forged.status).toBe(303)
    expect(forged.headers.get('location')).toBe('/console/two-factor')
    const invites = await db
      .selectFrom('console_links')
      .select('id')
      .where('kind', '=', 'invite')
      .execute()
    expect(invites).toHaveLength(0)

    await half.open('/console/two-factor')
    const bad = await half.submit('/console/two-factor', { code: '000000' })
    expect(bad.status).toBe(401)
    expect(textOf(bad.html)).toContain('That code is not right')
    const good = await half.submit('/console/two-factor', {
      code: await totpAt(setup.secret, clock.now()),
    })
    expect(good.status).toBe(303)
    expect(good.headers.get('location')).toBe('/console')
    // The cookie handed out before the code is worth nothing after it.
    expect(sessionCookie(good.headers).value).not.toBe(token)
    expect((await withCookie(app, '/console', token)).status).toBe(302)
    expect((await half.open('/console')).status).toBe(200)
  })

  test('a code is accepted once: neither the enabling code nor a used one signs in again', async ({
    db,
  }) => {
    const { app, clock } = appWithClock(db)
    const { browser, email } = await ownerOf(app)
    const secret = await turnOnTwoFactor(browser, clock.now())
    const first = await totpStage(app, email)
    const enabling = await first.browser.submit('/console/two-factor', {
      code: await totpAt(secret, clock.now()),
    })
    expect(enabling.status).toBe(401)

    clock.advance(30_000)
    const code = await totpAt(secret, clock.now())
    expect((await first.browser.submit('/console/two-factor', { code })).status).toBe(303)
    const second = await totpStage(app, email)
    expect((await second.browser.submit('/console/two-factor', { code })).status).toBe(401)
  })

  test('wrong codes count toward the lockout', async ({ db }) => {
    const { app, clock } = appWithClock(db)
    const { browser, email } = await ownerOf(app)
    const secret = await turnOnTwoFactor(browser, clock.now())
    clock.advance(30_000)
    const { browser: half } = await totpStage(app, email)
    for (let i = 0; i < 5; i++) {
      expect((await half.submit('/console/two-factor', { code: String(100000 + i) })).status).toBe(
        401,
      )
    }
    const right = await half.submit('/console/two-factor', {
      code: await totpAt(secret, clock.now()),
    })
    expect(right.status).toBe(401)
    const password = await signIn(app, email)
    expect(password.res.status).toBe(401)
    expect(textOf(password.res.html)).toContain(INCORRECT)
    clock.advance(15 * MINUTE)
    const again = await totpStage(app, email)
    const code = await totpAt(secret, clock.now())
    expect((await again.browser.submit('/console/two-factor', { code })).status).toBe(303)
  })

  test('turning it off needs a current code; turning it on signs out the other sessions', async ({
    db,
  }) => {
    const { app, clock } = appWithClock(db)
    const { browser, email } = await ownerOf(app)
    const { browser: other } = await signIn(app, email)
    const secret = await turnOnTwoFactor(browser, clock.now())
    expect((await other.open('/console')).status).toBe(302)
    expect((await browser.open('/console/account')).status).toBe(200)

    clock.advance(30_000)
    const wrong = await browser.submit('/console/account/two-factor/off', { code: '123456' })
    expect(wrong.status).toBe(422)
    expect(wrong.html).toMatch(/id="f-code-error"/)
    const off = await browser.submit('/console/account/two-factor/off', {
      code: await totpAt(secret, clock.now()),
    })
    expect(off.status).toBe(303)
    expect((await signIn(app, email)).res.headers.get('location')).toBe('/console')
  })
})
