import { describe, expect } from 'vitest'
import { OPERATOR } from '../../src/audit/record.ts'
import type { ManualClock } from '../../src/clock.ts'
import { issueLink } from '../../src/console/links.ts'
import type { Db } from '../../src/db/schema.ts'
import { textOf } from '../support/browserish.ts'
import { balance, call, credit, generate, type TestProvider } from '../support/client.ts'
import { ConsoleBrowser, join, ownerOf, uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

type App = Parameters<typeof ownerOf>[0]

/** The test app's clock, moved on between transfers so the statement's order is theirs. */
const tick = (deps: { clock: unknown }) => (deps.clock as ManualClock).advance(1000)

async function alertRow(db: Db) {
  return db.selectFrom('float_alerts').select(['threshold_minor', 'below']).executeTakeFirst()
}

async function floatLows(db: Db) {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('event_type', '=', 'float.low')
    .execute()
}

/** A member of `provider` with `role`, signed in through an invite link. */
async function memberOf(app: App, db: Db, provider: TestProvider, role: 'viewer' | 'editor') {
  const { id } = await db
    .selectFrom('providers')
    .select('id')
    .where('name', '=', provider.name)
    .executeTakeFirstOrThrow()
  const link = await issueLink(db, {
    providerId: id,
    kind: 'invite',
    role,
    actor: OPERATOR,
    publicUrl: 'http://cashout.test',
    now: new Date('2026-03-01T00:00:00Z'),
  })
  return (await join(app, link.url, uniqueEmail(role))).browser
}

describe('the float page', () => {
  test('shows the balances and the statement, newest first', async ({ harness }) => {
    const { app } = harness
    const { browser, provider } = await ownerOf(app)
    const empty = textOf((await browser.open('/console/float')).html)
    expect(empty).toContain('No alert is set.')
    expect(empty).toContain('Nothing yet.')

    await credit(app, provider.name, 120_000, 'wire-77')
    tick(harness.deps)
    const claim = (await generate(app, provider, { amount: 2_550, id: 'order-9' })).body
    const page = await browser.open('/console/float')
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    expect(text).toContain('Available $1,174.50')
    expect(text).toContain('Reserved for open claims $25.50')
    expect(text).toContain('Credited in total $1,200.00')
    expect(text).toMatch(
      /Reserved for a claim order-9 \S+ \$25\.50 \$1,174\.50 .* Float credited wire-77 \$1,200\.00 \$1,200\.00/,
    )
    expect(page.html).toContain(`href="/console/claims/${claim.uuid}"`)
    expect(page.html).toMatch(/<a href="\/console\/statement.csv"[^>]*>Export CSV<\/a>/)
    expect(page.html).not.toContain('Older entries')
  })

  test('pages through the statement with its running balance unbroken', async ({ harness }) => {
    const { app } = harness
    const { browser, provider } = await ownerOf(app)
    for (let i = 1; i <= 55; i++) {
      tick(harness.deps)
      await call(app, 'POST', '/cashout/test/fund', {
        key: provider.key,
        body: { amount_minor: i * 100, reference: `fund-${i}` },
      })
    }
    const balances = (html: string) =>
      [...html.matchAll(/class="num running">\$([\d,.]+)</g)].map((m) =>
        Number((m[1] ?? '').replace(/,/g, '')),
      )
    const first = await browser.open('/console/float')
    const firstBalances = balances(first.html)
    expect(firstBalances).toHaveLength(50)
    const next = /href="(\/console\/float\?cursor=[^"]+)">Older entries/.exec(first.html)?.[1]
    expect(next).toBeDefined()
    const second = await browser.open(next ?? '')
    const all = [...firstBalances, ...balances(second.html)]
    expect(all).toHaveLength(55)
    // Newest first, the fund of i dollars was the i-th: each balance is the sum of 1..i dollars.
    expect(all).toEqual(Array.from({ length: 55 }, (_, k) => ((55 - k) * (56 - k)) / 2))
    expect(all[0]).toBe((await balance(app, provider)).available_minor / 100)
    expect(second.html).toContain('href="/console/float">Newest entries')
    expect(second.html).not.toContain('Older entries')

    const bad = await browser.open('/console/float?cursor=not-a-cursor')
    expect(bad.status).toBe(422)
    expect(textOf(bad.html)).toContain('That page link is not one the console made.')
  })

  test('an owner sets, changes and turns off the low-balance alert', async ({ harness, db }) => {
    const { app } = harness
    const { browser, provider, email } = await ownerOf(app)
    await credit(app, provider.name, 200_000)
    await browser.open('/console/float')
    const saved = await browser.submit('/console/float/threshold', {
      threshold: '$1,000.50',
      action: 'save',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe('/console/float?done=saved')
    expect(await alertRow(db)).toEqual({ threshold_minor: 100_050n, below: false })
    const shown = await browser.open('/console/float?done=saved')
    expect(textOf(shown.html)).toContain('The low-balance alert is saved.')
    expect(textOf(shown.html)).toContain('Alert when the float drops below $1,000.50')
    expect(shown.html).toContain('value="1000.50"')
    expect(await floatLows(db)).toHaveLength(0)

    const above = await browser.submit('/console/float/threshold', {
      threshold: '2500',
      action: 'save',
    })
    expect(above.headers.get('location')).toBe('/console/float?done=alerted')
    expect(await floatLows(db)).toHaveLength(1)
    const below = textOf((await browser.open('/console/float?done=alerted')).html)
    expect(below).toContain('a float.low webhook was sent')
    expect(below).toContain('The float is below $2,500.00.')

    const off = await browser.submit('/console/float/threshold', {
      threshold: '2500',
      action: 'clear',
    })
    expect(off.headers.get('location')).toBe('/console/float?done=cleared')
    expect(await alertRow(db)).toBeUndefined()

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'float.threshold_changed')
      .orderBy('created_at')
      .execute()
    expect(audit.map((a) => a.after)).toEqual([
      { threshold_minor: 100_050 },
      { threshold_minor: 250_000 },
      { threshold_minor: null },
    ])
    expect(audit[0]).toMatchObject({ actor_type: 'member', actor_label: email, livemode: false })
  })

  test('a threshold that is not an amount is refused beside the field', async ({ harness, db }) => {
    const { browser } = await ownerOf(harness.app)
    await browser.open('/console/float')
    for (const typed of ['ten dollars', '-5', '1.234', '1e3']) {
      const page = await browser.submit('/console/float/threshold', {
        threshold: typed,
        action: 'save',
      })
      expect(page.status).toBe(422)
      expect(page.html).toContain(`value="${typed}"`)
      expect(page.html).toMatch(/id="f-threshold-error"[^>]*>.*Enter an amount in dollars/)
      expect(page.html).toContain('aria-invalid="true"')
    }
    expect(await alertRow(db)).toBeUndefined()
  })

  test('a viewer sees the alert but cannot change it, even by a forged post', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const { browser: owner, provider } = await ownerOf(app)
    await owner.open('/console/float')
    await owner.submit('/console/float/threshold', { threshold: '500', action: 'save' })
    const viewer = await memberOf(app, db, provider, 'viewer')
    const page = await viewer.open('/console/float')
    expect(textOf(page.html)).toContain('The float is below $500.00.')
    expect(textOf(page.html)).toContain('Only an owner can change the alert.')
    expect(page.html).not.toContain('action="/console/float/threshold"')
    const forged = await viewer.submit('/console/float/threshold', {
      threshold: '',
      action: 'clear',
    })
    expect(forged.status).toBe(403)
    expect(await alertRow(db)).toEqual({ threshold_minor: 50_000n, below: true })
    // Nor from another site, even for the owner.
    const crossSite = await owner.post(
      '/console/float/threshold',
      { csrf: owner.csrf, threshold: '1', action: 'save' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    )
    expect(crossSite.status).toBe(403)
    expect(await alertRow(db)).toEqual({ threshold_minor: 50_000n, below: true })
    expect(
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'float.threshold_changed')
        .execute(),
    ).toHaveLength(1)
  })

  test('needs a signed-in member', async ({ harness }) => {
    const browser = new ConsoleBrowser(harness.app)
    for (const path of ['/console/float', '/console/statement.csv']) {
      const page = await browser.get(path)
      expect(page.status).toBe(302)
      expect(page.headers.get('location')).toBe('/console/sign-in')
    }
    const post = await browser.post('/console/float/threshold', { threshold: '1' })
    expect(post.status).toBe(303)
    expect(post.headers.get('location')).toBe('/console/sign-in')
  })
})
