import { describe, expect } from 'vitest'

import { buildTestApp } from '../support/app.ts'
import { Browserish, csrfOf, textOf } from '../support/browserish.ts'
import { fundedProvider, generate } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const BANK = {
  type: 'bank',
  account_name: 'Jane Citizen',
  bsb: '062-000',
  account_number: '12345678',
}
const OTHER_BANK = { ...BANK, account_name: 'Eve Other', account_number: '87654321' }

type App = Parameters<typeof fundedProvider>[0]

async function openClaim(app: App) {
  const provider = await fundedProvider(app, 1_000_000)
  const claim = (await generate(app, provider, { amount: 2500, id: `s-${Math.random()}` })).body
  return { claim, path: `/c/${claim.uuid}` }
}

/** What a stranger on a link that never existed is shown: the answer nobody may tell apart. */
async function unknownLinkPage(app: App) {
  return new Browserish(app, '192.0.2.200').get(`/c/${crypto.randomUUID()}`)
}

/** Nothing a browser that did not cash out is sent may tell how the claim went or where to. */
function expectNothingTold(html: string) {
  const text = textOf(html)
  for (const told of ['5678', '4321', 'Paid', 'Sending', 'Jane', 'Eve', '062-000']) {
    expect(text).not.toContain(told)
  }
}

describe('the claim status is only for the browser that cashed out', () => {
  test('another browser posting its old, valid form after the claim was submitted learns nothing', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const { path, claim } = await openClaim(app)
    const a = new Browserish(app, '203.0.113.10')
    const b = new Browserish(app, '203.0.113.11')
    const csrfA = csrfOf((await a.get(path)).html)
    const csrfB = csrfOf((await b.get(path)).html)

    const done = await a.post(`${path}/confirm`, { csrf: csrfA, ...BANK })
    expect(done.status).toBe(303)
    expect(textOf((await a.get(path)).html)).toContain('Sending your money')

    const late = [
      await b.post(`${path}/confirm`, { csrf: csrfB, ...OTHER_BANK }),
      await b.post(path, { csrf: csrfB, ...OTHER_BANK, action: 'continue' }),
    ]
    await db.updateTable('claims').set({ status: 'settled' }).where('id', '=', claim.uuid).execute()
    late.push(
      await b.post(`${path}/confirm`, { csrf: csrfB, ...OTHER_BANK }),
      await b.post(path, { csrf: csrfB, ...OTHER_BANK, action: 'change' }),
    )
    for (const reply of late) {
      expect(reply.headers.get('set-cookie') ?? '').not.toContain('cashout_session')
      expectNothingTold(reply.html)
    }
    expect(b.hasCookie('cashout_session')).toBe(false)

    const page = await b.get(path)
    const unknown = await unknownLinkPage(app)
    expect(page.status).toBe(404)
    expect(page.html).toBe(unknown.html)
    expectNothingTold(page.html)
    const poll = await b.get(`${path}/status`)
    expect(poll.status).toBe(404)
    expect(JSON.parse(poll.html).code).toBe('not_found')

    const own = await a.get(path)
    expect(textOf(own.html)).toContain('Paid')
    expect(textOf(own.html)).toContain('••••5678')
    expect(JSON.parse((await a.get(`${path}/status`)).html)).toEqual({ state: 'paid' })
  })

  test('a copy of the winning browser’s form cookie and token does not carry the status', async ({
    harness,
  }) => {
    const { app } = harness
    const { path } = await openClaim(app)
    const a = new Browserish(app, '203.0.113.20')
    const first = await a.get(path)
    const csrf = csrfOf(first.html)
    const csrfCookie = /cashout_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1]
    expect(csrfCookie).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await a.post(`${path}/confirm`, { csrf, ...BANK })).status).toBe(303)
    expect(textOf((await a.get(path)).html)).toContain('Sending your money')

    // A second client replays A's own form with A's anti-forgery cookie, as if it had copied both.
    const copy = new Browserish(app, '203.0.113.21')
    const cookie = { Cookie: `cashout_csrf=${csrfCookie}` }
    const replay = await copy.request(`${path}/confirm`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Sec-Fetch-Site': 'same-origin',
        Origin: 'null',
        ...cookie,
      },
      body: new URLSearchParams({ csrf, ...BANK }).toString(),
    })
    expect(replay.headers.get('set-cookie') ?? '').not.toContain('cashout_session')
    expectNothingTold(replay.html)

    const page = await copy.request(path, { headers: cookie })
    expect(page.status).toBe(404)
    expect(page.html).toBe((await unknownLinkPage(app)).html)
    expect((await copy.request(`${path}/status`, { headers: cookie })).status).toBe(404)
    // A made-up status cookie is no better.
    const madeUp = { Cookie: `cashout_csrf=${csrfCookie}; cashout_session=${'A'.repeat(43)}` }
    expect((await copy.request(path, { headers: madeUp })).status).toBe(404)
  })

  test('of two browsers confirming at once, only the one whose submit won follows the claim', async ({
    harness,
  }) => {
    const { app } = harness
    const { path } = await openClaim(app)
    const a = new Browserish(app, '203.0.113.30')
    const b = new Browserish(app, '203.0.113.31')
    const csrfA = csrfOf((await a.get(path)).html)
    const csrfB = csrfOf((await b.get(path)).html)
    // Both reach the review page, as people do, then press Cash out several times at once.
    expect((await a.post(path, { csrf: csrfA, ...BANK, action: 'continue' })).status).toBe(200)
    expect((await b.post(path, { csrf: csrfB, ...OTHER_BANK, action: 'continue' })).status).toBe(
      200,
    )
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? a.post(`${path}/confirm`, { csrf: csrfA, ...BANK })
          : b.post(`${path}/confirm`, { csrf: csrfB, ...OTHER_BANK }),
      ),
    )
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(303))

    const pages = [await a.get(path), await b.get(path)]
    const following = pages.filter((p) => p.status === 200)
    expect(following).toHaveLength(1)
    const [winner, loser] = pages[0]?.status === 200 ? ['5678', '4321'] : ['4321', '5678']
    expect(textOf(following[0]?.html ?? '')).toContain(`••••${winner}`)
    expect(textOf(following[0]?.html ?? '')).not.toContain(loser)
    const other = pages.find((p) => p.status !== 200)
    expect(other?.status).toBe(404)
    expect(other?.html).toBe((await unknownLinkPage(app)).html)
  })

  test('the winning browser keeps landing on its status, however often it presses Cash out', async ({
    harness,
  }) => {
    const { app } = harness
    const { path } = await openClaim(app)
    const a = new Browserish(app, '203.0.113.40')
    const csrf = csrfOf((await a.get(path)).html)
    expect((await a.post(path, { csrf, ...BANK, action: 'continue' })).status).toBe(200)
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => a.post(`${path}/confirm`, { csrf, ...BANK })),
    )
    expect(replies.map((r) => [r.status, r.headers.get('location')])).toEqual(
      Array(6).fill([303, path]),
    )
    for (const reply of [replies[0], await a.post(`${path}/confirm`, { csrf, ...BANK })]) {
      expect(reply?.status).toBe(303)
      const page = await a.get(path)
      expect(page.status).toBe(200)
      expect(textOf(page.html)).toContain('Sending your money')
      expect(textOf(page.html)).toContain('••••5678')
    }
  })

  test('concurrent confirms posted straight from the form leave that browser on the status', async ({
    harness,
  }) => {
    const { app } = harness
    const { path } = await openClaim(app)
    const a = new Browserish(app, '203.0.113.50')
    const csrf = csrfOf((await a.get(path)).html)
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => a.post(`${path}/confirm`, { csrf, ...BANK })),
    )
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(303))
    // Only the winning request sets the cookie, so the losers cannot overwrite it.
    expect(
      replies.filter((r) => r.headers.get('set-cookie')?.includes('cashout_session')),
    ).toHaveLength(1)
    const page = await a.get(path)
    expect(page.status).toBe(200)
    expect(textOf(page.html)).toContain('Sending your money')
    expect(JSON.parse((await a.get(`${path}/status`)).html)).toEqual({ state: 'processing' })
  })

  test('the status cookie is HttpOnly, SameSite=Lax, scoped to the claim, and Secure over https', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: { PUBLIC_URL: 'https://cashout.test' } })
    const { path } = await openClaim(app)
    const a = new Browserish(app, '203.0.113.60')
    const csrf = csrfOf((await a.get(path)).html)
    const review = await a.post(path, { csrf, ...BANK, action: 'continue' })
    const done = await a.post(`${path}/confirm`, { csrf, ...BANK })
    expect(done.status).toBe(303)
    for (const reply of [review, done]) {
      const line = reply.headers.getSetCookie().find((l) => l.startsWith('cashout_session='))
      expect(line).toMatch(/^cashout_session=[A-Za-z0-9_-]{43};/)
      for (const attribute of ['HttpOnly', 'SameSite=Lax', 'Secure', `Path=${path};`]) {
        expect(`${line};`).toContain(attribute)
      }
    }
    // The review's secret is the one the winning submit made count, not a new one.
    const secretOf = (h: Headers) => /cashout_session=([^;]+)/.exec(h.get('set-cookie') ?? '')?.[1]
    expect(secretOf(done.headers)).toBe(secretOf(review.headers))
    expect((await a.get(path)).status).toBe(200)
  })
})
