import { describe, expect } from 'vitest'

import { fromOurPage } from '../../src/http/same-origin.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import { Browserish, csrfOf, textOf } from '../support/browserish.ts'
import { call, fundedProvider, generate, liveOf } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const BANK = {
  type: 'bank',
  account_name: 'Jane Citizen',
  bsb: '062-000',
  account_number: '12345678',
}

async function openClaim(app: Parameters<typeof fundedProvider>[0], amount = 2500) {
  const provider = await fundedProvider(app, 1_000_000)
  const claim = (await generate(app, provider, { amount, id: `c-${Math.random()}` })).body
  return { provider, claim, path: `/c/${claim.uuid}` }
}

describe('the claim page', () => {
  test('shows the offer with security headers and no inline script or style', async ({
    harness,
  }) => {
    const { path, provider } = await openClaim(harness.app)
    const browser = new Browserish(harness.app)
    const page = await browser.get(path)
    expect(page.status).toBe(200)
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(page.html).not.toMatch(/\sstyle="|\son[a-z]+="/)
    const text = textOf(page.html)
    expect(text).toContain('$25.00')
    expect(text).toContain('for 2,500 points')
    expect(text).toContain(provider.name.split('-')[0]?.replace(/^./, (c) => c.toUpperCase()) ?? '')
    expect(text).toMatch(/Link expires \d+ \w+ \d{4}, \d+:\d\d [ap]m AE[DS]T/)
    for (const label of ['PayID type', 'PayID', 'Account name', 'BSB', 'Account number']) {
      expect(page.html).toMatch(new RegExp(`<label for="[a-z_]+">${label}</label>`))
    }
    expect(page.html).toMatch(/>Continue<\/button>/)
  })

  test('a test claim’s page says no money will move; a live claim’s page does not', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const provider = await fundedProvider(app, 1_000_000, true)
    const testClaim = (await generate(app, provider, { amount: 2500, id: 'banner' })).body
    const liveClaim = (await generate(app, liveOf(provider), { amount: 2500, id: 'banner' })).body
    expect([testClaim.livemode, liveClaim.livemode]).toEqual([false, true])
    const browser = new Browserish(app)
    const testPage = await browser.get(`/c/${testClaim.uuid}`)
    const livePage = await browser.get(`/c/${liveClaim.uuid}`)
    expect([testPage.status, livePage.status]).toEqual([200, 200])
    expect(testPage.html).toMatch(/<p class="test-mode" role="note">/)
    expect(textOf(testPage.html)).toContain('Test mode — no money will move.')
    expect(textOf(livePage.html)).toContain('$25.00')
    expect(livePage.html).not.toContain('test-mode')
    expect(textOf(livePage.html)).not.toContain('Test mode')
    expect(textOf(livePage.html)).not.toContain('no money will move')
  })

  test('the fee is shown when the customer pays it', async ({ harness }) => {
    const provider = await fundedProvider(harness.app, 1_000_000)
    await call(harness.app, 'PUT', '/cashout/rules', {
      key: provider.key,
      body: {
        rate: { points: 1, cash_minor: 1 },
        fee: { fixed_minor: 50, bps: 0, payer: 'customer' },
      },
    })
    const claim = (await generate(harness.app, provider, { amount: 1000, id: 'fee' })).body
    const text = textOf((await new Browserish(harness.app).get(`/c/${claim.uuid}`)).html)
    expect(text).toContain('$9.50')
    expect(text).toContain('Includes a $0.50 fee')
  })

  test('continue shows the normalised details for review; change brings the form back filled', async ({
    harness,
  }) => {
    const { path } = await openClaim(harness.app)
    const browser = new Browserish(harness.app)
    const csrf = csrfOf((await browser.get(path)).html)
    const review = await browser.post(path, { csrf, ...BANK, bsb: '062000', action: 'continue' })
    expect(review.status).toBe(200)
    const text = textOf(review.html)
    expect(text).toContain('BSB 062-000')
    expect(text).toContain('Account number ••••5678')
    expect(text).toContain('You receive $25.00')
    expect(review.html).toMatch(/>Cash out<\/button>/)
    const back = await browser.post(path, { csrf, ...BANK, bsb: '062000', action: 'change' })
    expect(back.html).toContain('value="Jane Citizen"')
    expect(back.html).toContain('value="12345678"')
  })

  test('bad details come back with a message per field and the values kept', async ({
    harness,
  }) => {
    const { path } = await openClaim(harness.app)
    const browser = new Browserish(harness.app)
    const csrf = csrfOf((await browser.get(path)).html)
    const page = await browser.post(path, {
      csrf,
      type: 'bank',
      account_name: 'Mary-Jane',
      bsb: '06200',
      account_number: '12',
      action: 'continue',
    })
    expect(page.status).toBe(400)
    expect(page.html).toContain('<title>Error: ')
    expect(page.html).toContain('role="alert"')
    expect(page.html).toContain('value="Mary-Jane"')
    expect(page.html).toContain('value="06200"')
    const text = textOf(page.html)
    expect(text).toContain('apostrophes only')
    expect(text).toContain('A BSB has 6 digits')
    expect(text).toContain('An account number has 4 to 9 digits')
    expect(page.html).toMatch(
      /id="bsb"[^>]*aria-describedby="bsb-hint bsb-error"[^>]*aria-invalid="true"/,
    )
  })

  test('cash out settles the claim and leaves this browser following it', async ({ harness }) => {
    const { path, claim, provider } = await openClaim(harness.app)
    const browser = new Browserish(harness.app)
    const csrf = csrfOf((await browser.get(path)).html)
    const done = await browser.post(`${path}/confirm`, { csrf, ...BANK })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(path)
    expect(browser.hasCookie('cashout_session')).toBe(true)
    const status = await browser.get(path)
    expect(textOf(status.html)).toContain('Sending your money')
    expect(status.html).toContain(`data-poll="${path}/status"`)
    expect(JSON.parse((await browser.get(`${path}/status`)).html)).toEqual({ state: 'processing' })
    const read = await call(harness.app, 'GET', `/cashout/claims/${claim.uuid}`, {
      key: provider.key,
    })
    expect(read.body.status).toBe('submitted')
  })

  test('unknown, expired, cancelled and used links all get the same page', async ({
    harness,
    db,
  }) => {
    const { path: used } = await openClaim(harness.app)
    const holder = new Browserish(harness.app)
    await holder.post(`${used}/confirm`, { csrf: csrfOf((await holder.get(used)).html), ...BANK })
    await db
      .updateTable('claims')
      .set({ status: 'settled' })
      .where('id', '=', used.slice(3))
      .execute()

    const { path: cancelled, provider } = await openClaim(harness.app)
    await call(harness.app, 'POST', `/cashout/claims/${cancelled.slice(3)}/cancel`, {
      key: provider.key,
    })
    const { path: expired } = await openClaim(harness.app)
    await db
      .updateTable('claims')
      .set({ expires_at: new Date(0) })
      .where('id', '=', expired.slice(3))
      .execute()

    const stranger = new Browserish(harness.app, '198.51.100.9')
    const pages = await Promise.all(
      [`/c/${crypto.randomUUID()}`, '/c/not-a-uuid', expired, cancelled, used].map((p) =>
        stranger.get(p),
      ),
    )
    expect(pages.map((p) => p.status)).toEqual([404, 404, 404, 404, 404])
    expect(new Set(pages.map((p) => p.html)).size).toBe(1)
    expect(pages.some((p) => p.headers.get('set-cookie'))).toBe(false)
    expect(textOf(pages[0]?.html ?? '')).toContain('isn’t available')

    const own = await holder.get(used)
    expect(own.status).toBe(200)
    expect(textOf(own.html)).toContain('Paid')

    const polls = await Promise.all(
      [`/c/${crypto.randomUUID()}`, used].map((p) => stranger.get(`${p}/status`)),
    )
    expect(polls.map((p) => p.status)).toEqual([404, 404])
    expect(polls.map((p) => JSON.parse(p.html).code)).toEqual(['not_found', 'not_found'])
    expect(JSON.parse((await holder.get(`${used}/status`)).html)).toEqual({ state: 'paid' })
  })

  test('50 concurrent confirms make one payout', async ({ harness, db }) => {
    const { path, claim } = await openClaim(harness.app)
    const browser = new Browserish(harness.app)
    const csrf = csrfOf((await browser.get(path)).html)
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => browser.post(`${path}/confirm`, { csrf, ...BANK })),
    )
    const statuses = new Set(replies.map((r) => r.status))
    expect([...statuses].every((s) => s === 303 || s === 429)).toBe(true)
    expect(replies.filter((r) => r.status === 303).length).toBeGreaterThanOrEqual(1)
    expect(
      await db.selectFrom('payouts').select('id').where('claim_id', '=', claim.uuid).execute(),
    ).toHaveLength(1)
  })
})

describe('forged posts', () => {
  test.for([
    ['no cookie', 'fresh', {}],
    ['a token for another claim', 'other', {}],
    ['a made-up token', 'madeup', {}],
    [
      'another site’s Origin',
      'ok',
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    ],
    ['Fetch Metadata saying cross-site', 'ok', { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' }],
    ['a null Origin without Fetch Metadata', 'ok', { Origin: 'null' }],
  ] as [string, string, Record<string, string>][])(
    'with %s are refused and change nothing',
    async ([, token, headers], { harness, db }) => {
      const { path, claim } = await openClaim(harness.app)
      const browser = new Browserish(harness.app)
      const html = (await browser.get(path)).html
      const other = await openClaim(harness.app)
      const csrf =
        token === 'other'
          ? csrfOf((await browser.get(other.path)).html)
          : token === 'madeup'
            ? 'a'.repeat(64)
            : csrfOf(html)
      const poster = token === 'fresh' ? new Browserish(harness.app) : browser
      const reply = await poster.post(
        `${path}/confirm`,
        { csrf, ...BANK },
        Object.keys(headers).length ? headers : undefined,
      )
      expect(reply.status).toBe(403)
      expect(textOf(reply.html)).toContain('This page has expired')
      expect(
        await db.selectFrom('payouts').select('id').where('claim_id', '=', claim.uuid).execute(),
      ).toEqual([])
    },
  )

  test.for([
    [{ origin: undefined, site: 'same-origin' }, true],
    [{ origin: 'null', site: 'same-origin' }, true],
    [{ origin: 'http://cashout.test', site: 'same-origin' }, true],
    [{ origin: 'http://cashout.test', site: undefined }, true],
    [{ origin: undefined, site: undefined }, true],
    [{ origin: 'https://evil.example', site: 'same-origin' }, false],
    [{ origin: 'null', site: undefined }, false],
    [{ origin: undefined, site: 'same-site' }, false],
    [{ origin: undefined, site: 'cross-site' }, false],
  ] as [{ origin?: string; site?: string }, boolean][])(
    'fromOurPage(%j) is %s',
    ([headers, expected]) => {
      expect(fromOurPage(headers, 'http://cashout.test')).toBe(expected)
    },
  )

  test('a post with no token gets the same answer for an unknown link as for a live one', async ({
    harness,
  }) => {
    const { path } = await openClaim(harness.app)
    const unknown = `/c/${crypto.randomUUID()}`
    const replies = await Promise.all(
      [path, unknown].map((p) =>
        new Browserish(harness.app).post(`${p}/confirm`, { csrf: 'x'.repeat(64), ...BANK }),
      ),
    )
    expect(replies.map((r) => r.status)).toEqual([403, 403])
    expect(textOf(replies[0]?.html ?? '')).toBe(textOf(replies[1]?.html ?? ''))
  })

  test('a post to what cannot be a link is not found, and its path is not echoed', async ({
    harness,
  }) => {
    const reply = await new Browserish(harness.app).post('/c/4111111111111111/confirm', {
      csrf: 'x'.repeat(64),
      ...BANK,
    })
    expect(reply.status).toBe(404)
    expect(reply.html).not.toContain('4111111111111111')
    expect(textOf(reply.html)).toContain('isn’t available')
  })
})

describe('rate limits', () => {
  test('a forged X-Forwarded-For or CF-Connecting-IP does not lift the limit', async ({
    harness,
  }) => {
    const { path } = await openClaim(harness.app)
    const browser = new Browserish(harness.app, '192.0.2.60')
    for (let i = 0; i < 120; i++) expect((await browser.get(path)).status).toBe(200)
    const spoofed = await browser.request(path, {
      headers: { 'X-Forwarded-For': '198.51.100.9', 'CF-Connecting-IP': '198.51.100.9' },
    })
    expect(spoofed.status).toBe(429)
  })

  test('behind a proxy the rightmost forwarded hop is the address limited', async ({ db }) => {
    const { app } = buildTestApp(db, { env: { TRUST_PROXY: 'true' } })
    const { path } = await openClaim(app)
    const proxy = new Browserish(app, '10.0.0.2')
    const via = (chain: string) => proxy.request(path, { headers: { 'X-Forwarded-For': chain } })
    for (let i = 0; i < 120; i++)
      expect((await via(`198.51.100.${i}, 192.0.2.70`)).status).toBe(200)
    expect((await via('198.51.100.250, 192.0.2.70')).status).toBe(429)
    expect((await via('192.0.2.70, 192.0.2.71')).status).toBe(200)
  })

  test('page views are limited per address', async ({ harness }) => {
    const { path } = await openClaim(harness.app)
    const browser = new Browserish(harness.app, '192.0.2.50')
    for (let i = 0; i < 120; i++) expect((await browser.get(path)).status).toBe(200)
    const refused = await browser.get(path)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(textOf(refused.html)).toContain('Too many attempts')
    expect((await new Browserish(harness.app, '192.0.2.51').get(path)).status).toBe(200)
  })

  test('form posts are limited per claim, whatever the address', async ({ harness }) => {
    const { path } = await openClaim(harness.app)
    for (let i = 0; i < 20; i++) {
      const browser = new Browserish(harness.app, `198.18.0.${i}`)
      const csrf = csrfOf((await browser.get(path)).html)
      expect(
        (await browser.post(path, { csrf, ...BANK, bsb: 'x', action: 'continue' })).status,
      ).toBe(400)
    }
    const browser = new Browserish(harness.app, '198.18.1.1')
    const csrf = csrfOf((await browser.get(path)).html)
    expect((await browser.post(path, { csrf, ...BANK, action: 'continue' })).status).toBe(429)
  })
})
