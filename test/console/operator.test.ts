import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { OPERATOR as OPERATOR_ACTOR, recordAudit } from '../../src/audit/record.ts'
import { sha256Hex } from '../../src/crypto/bytes.ts'
import type { Db } from '../../src/db/schema.ts'
import { buildTestApp, LIVE_ENV, OPERATOR_TOKEN } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { balance, call, fundedProvider, liveOf, registerProvider } from '../support/client.ts'
import { ConsoleBrowser, ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import { bankAccount, claimWith, payoutHarness, payoutOf } from '../support/payouts.ts'

/** An operator signed in through the console's form, as a person would. */
async function operatorIn(app: App) {
  const browser = new ConsoleBrowser(app)
  await browser.open('/console/operator/sign-in')
  const signedIn = await browser.submit('/console/operator/sign-in', { token: OPERATOR_TOKEN })
  if (signedIn.status !== 303) throw new Error(`operator sign-in answered ${signedIn.status}`)
  return { browser, signedIn }
}

async function auditRows(db: Db, action: string) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).execute()
}

/** The error shown beside a field (its `f-<name>-error` paragraph), as text. */
function fieldError(html: string, field: string) {
  const match = new RegExp(`id="f-${field}-error">([\\s\\S]*?)</p>`).exec(html)
  return match ? textOf(match[1] ?? '') : undefined
}

describe('operator sign-in', () => {
  test('a wrong token is a 401 page and no session; the right one keeps a session, not the token, in the cookie', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const stranger = new ConsoleBrowser(app)
    await stranger.open('/console/operator/sign-in')
    const refused = await stranger.submit('/console/operator/sign-in', { token: 'not-the-token' })
    expect(refused.status).toBe(401)
    expect(textOf(refused.html)).toContain('That operator token is not right.')
    expect(stranger.hasCookie('cashout_console')).toBe(false)
    expect((await stranger.get('/console/operator')).status).toBe(302)

    const { browser, signedIn } = await operatorIn(app)
    expect(signedIn.headers.get('location')).toBe('/console/operator')
    const cookie = signedIn.headers
      .getSetCookie()
      .find((line) => line.startsWith('cashout_console='))
    const value = cookie?.split(';')[0]?.split('=')[1] ?? ''
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(value).not.toBe(OPERATOR_TOKEN)
    expect(cookie).toMatch(/HttpOnly/i)
    const sessions = await db.selectFrom('console_sessions').selectAll().execute()
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ operator: true, token_sha256: await sha256Hex(value) })
    const stored = JSON.stringify(sessions)
    expect(stored).not.toContain(value)
    expect(stored).not.toContain(OPERATOR_TOKEN)

    const provider = await registerProvider(app)
    const home = await browser.open('/console/operator')
    expect(home.status).toBe(200)
    expect(textOf(home.html)).toContain(provider.name)
  })

  test('a member cannot open operator pages, and the operator cannot open member pages', async ({
    harness,
  }) => {
    const { app } = harness
    const { browser: member } = await ownerOf(app)
    for (const path of [
      '/console/operator',
      '/console/operator/payouts',
      '/console/operator/activity',
    ]) {
      const page = await member.get(path)
      expect(page.status, path).toBe(302)
      expect(page.headers.get('location')).toBe('/console/operator/sign-in')
    }
    const forged = await member.submit('/console/operator/providers/anyone/suspend', {
      reason: 'not mine to do',
    })
    expect(forged.status).toBe(303)
    expect(forged.headers.get('location')).toBe('/console/operator/sign-in')

    const { browser: operator } = await operatorIn(app)
    for (const path of ['/console', '/console/rules', '/console/claims']) {
      const page = await operator.get(path)
      expect(page.status, path).toBe(302)
      expect(page.headers.get('location')).toBe('/console/operator')
    }
  })
})

describe('crediting a float from the console', () => {
  test('moves the float, once per reference, and writes one audit row', async ({ harness, db }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const { browser } = await operatorIn(app)
    const path = `/console/operator/providers/${provider.name}`
    const page = await browser.open(path)
    expect(page.status).toBe(200)
    expect(page.html).toContain('Credit float')

    const done = await browser.submit(`${path}/credit`, {
      amount: '250.10',
      reference: 'wire-1',
      mode: 'test',
    })
    expect(done.status).toBe(200)
    expect(textOf(done.html)).toContain('Credited $250.10 to the test float')
    expect(textOf(done.html)).toContain('$250.10 available')
    expect(await balance(app, provider)).toMatchObject({
      available_minor: 25010,
      credited_minor: 25010,
    })

    const again = await browser.submit(`${path}/credit`, {
      amount: '250.10',
      reference: 'wire-1',
      mode: 'test',
    })
    expect(again.status).toBe(200)
    expect(textOf(again.html)).toContain('already credited')
    expect((await balance(app, provider)).available_minor).toBe(25010)

    const other = await browser.submit(`${path}/credit`, {
      amount: '99.00',
      reference: 'wire-1',
      mode: 'test',
    })
    expect(other.status).toBe(409)
    expect(fieldError(other.html, 'reference')).toContain('already used for a different amount')
    expect(other.html).toContain('value="99.00"')
    expect((await balance(app, provider)).available_minor).toBe(25010)

    const rows = await auditRows(db, 'float.credited')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      actor_type: 'operator',
      actor_label: 'operator',
      provider_id: expect.any(String),
      target: 'wire-1',
    })
  })

  test('refuses amounts that are not dollars and cents beside the field, and moves nothing', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const { browser } = await operatorIn(app)
    const path = `/console/operator/providers/${provider.name}`
    await browser.open(path)
    const cases: [string, string][] = [
      ['abc', 'Enter the amount in dollars'],
      ['0', 'above $0.00'],
      ['-1', 'above $0.00'],
      ['1.234', 'at most two digits after the point'],
      ['', 'Enter the amount in dollars'],
    ]
    for (const [amount, message] of cases) {
      const page = await browser.submit(`${path}/credit`, {
        amount,
        reference: `ref-${amount}`,
        mode: 'test',
      })
      expect(page.status, amount).toBe(422)
      expect(fieldError(page.html, 'amount'), amount).toContain(message)
      expect(page.html).toContain(`value="ref-${amount}"`)
    }
    const noReference = await browser.submit(`${path}/credit`, {
      amount: '5',
      reference: ' ',
      mode: 'test',
    })
    expect(fieldError(noReference.html, 'reference')).toContain('Enter your funding reference.')
    const live = await browser.submit(`${path}/credit`, {
      amount: '5',
      reference: 'live-1',
      mode: 'live',
    })
    expect(live.status).toBe(422)
    expect(textOf(live.html)).toContain('no live rail')
    expect(await balance(app, provider)).toMatchObject({ available_minor: 0, credited_minor: 0 })
    expect(await auditRows(db, 'float.credited')).toHaveLength(0)

    // Commas and a dollar sign are how people write money; they are read exactly.
    await browser.submit(`${path}/credit`, { amount: '$1,000.5', reference: 'big', mode: 'test' })
    expect((await balance(app, provider)).available_minor).toBe(100050)
  })

  test('where there is a live rail, the live float is credited only when chosen', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const provider = await registerProvider(app)
    const { browser } = await operatorIn(app)
    const path = `/console/operator/providers/${provider.name}`
    const page = await browser.open(path)
    expect(textOf(page.html)).toContain('Live float (real money)')
    const done = await browser.submit(`${path}/credit`, {
      amount: '12.00',
      reference: 'wire-live',
      mode: 'live',
    })
    expect(textOf(done.html)).toContain('Credited $12.00 to the live float')
    expect((await balance(app, liveOf(provider))).available_minor).toBe(1200)
    expect((await balance(app, provider)).available_minor).toBe(0)
    // The same reference in the other mode is another credit: references are kept per mode.
    await browser.submit(`${path}/credit`, { amount: '1', reference: 'wire-live', mode: 'test' })
    expect((await balance(app, provider)).available_minor).toBe(100)
  })

  test('a form without the page’s token, or from another site, is refused and moves nothing', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const { browser } = await operatorIn(app)
    const path = `/console/operator/providers/${provider.name}/credit`
    await browser.open(`/console/operator/providers/${provider.name}`)
    const fields = { amount: '10', reference: 'forged', mode: 'test' }
    const noToken = await browser.post(path, fields)
    expect(noToken.status).toBe(403)
    expect(textOf(noToken.html)).toContain('this form was not accepted')
    const wrongToken = await browser.post(path, { ...fields, csrf: 'x'.repeat(43) })
    expect(wrongToken.status).toBe(403)
    const crossSite = await browser.post(
      path,
      { ...fields, csrf: browser.csrf },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
    )
    expect(crossSite.status).toBe(403)
    expect((await balance(app, provider)).available_minor).toBe(0)
  })

  test('the provider list shows each provider’s floats and claims', async ({ harness }) => {
    const { app } = harness
    const funded = await fundedProvider(app, 123_456)
    await call(app, 'POST', `/cashout/generate/${funded.name}`, {
      key: funded.key,
      body: { amount: 500, id: 'one' },
    })
    const other = await registerProvider(app)
    const { browser } = await operatorIn(app)
    const text = textOf((await browser.open('/console/operator')).html)
    expect(text).toContain(funded.name)
    expect(text).toContain(other.name)
    expect(text).toContain('$1,229.56 available')
    expect(text).toContain('$5.00 reserved')
    expect(text).toContain('1 claim in 24 h 1 claim in 30 days')
    const found = textOf((await browser.open(`/console/operator?q=${other.name}`)).html)
    expect(found).toContain(other.name)
    expect(found).not.toContain(funded.name)
  })
})

describe('payouts needing attention, from the console', () => {
  test('a payout waiting for the rail’s funds is listed without a resolve form, and cannot be resolved', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'waiting', bankAccount('00000044'))
    const payout = await payoutOf(db, uuid)
    await db
      .updateTable('payouts')
      .set({ waiting_on: 'rail_funds', rail_calls: 1 })
      .where('id', '=', payout.id)
      .execute()

    const { browser } = await operatorIn(h.app)
    const list = await browser.open('/console/operator/payouts')
    expect(textOf(list.html)).toContain('It has not been sent yet, so there is nothing to resolve')
    expect(list.html).not.toContain(`/console/operator/payouts/${payout.id}/resolve`)

    const forced = await browser.submit(`/console/operator/payouts/${payout.id}/resolve`, {
      outcome: 'settled',
      reason: 'The portal shows it paid',
    })
    expect(forced.status).toBe(409)
    expect(textOf(forced.html)).toContain('has not been sent to the rail yet')
    expect(await payoutOf(db, uuid)).toMatchObject({ status: 'pending', waiting_on: 'rail_funds' })
    expect(await auditRows(db, 'payout.resolved')).toHaveLength(0)
  })

  test('the operator settles one held payout and fails another for good; both are audited', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const paid = await claimWith(h, p, 'skewed-1', bankAccount('00000044'))
    const lost = await claimWith(h, p, 'skewed-2', bankAccount('00000044'))
    await h.drain()
    const held = await payoutOf(db, paid)
    expect(held).toMatchObject({ status: 'held', failure_code: 'AMOUNT_MISMATCH' })
    const other = await payoutOf(db, lost)

    const { browser } = await operatorIn(h.app)
    const list = await browser.open('/console/operator/payouts')
    const text = textOf(list.html)
    expect(text).toContain('Held for a person')
    expect(text).toContain('Look up at Hello Clever')
    expect(text).toContain(`Client transaction id ${held.id}`)
    expect(text).not.toContain('00000044')

    const short = await browser.submit(`/console/operator/payouts/${held.id}/resolve`, {
      outcome: 'settled',
      reason: 'ok',
    })
    expect(short.status).toBe(422)
    expect(short.html).toContain('Reason: Must be at least 5 characters.')
    expect((await payoutOf(db, paid)).status).toBe('held')

    const settled = await browser.submit(`/console/operator/payouts/${held.id}/resolve`, {
      outcome: 'settled',
      reason: 'The portal shows 5.00 paid to this account',
    })
    expect(settled.status).toBe(303)
    const after = await browser.open(settled.headers.get('location') ?? '')
    expect(textOf(after.html)).toContain(`payout ${held.id} is settled`)
    expect(await h.waitForClaim(p, paid, 'settled')).toMatchObject({ status: 'settled' })

    const failed = await browser.submit(`/console/operator/payouts/${other.id}/resolve`, {
      outcome: 'failed_final',
      reason: 'The portal shows it returned by the bank',
    })
    expect(failed.status).toBe(303)
    expect(await h.waitForClaim(p, lost, 'failed')).toMatchObject({ status: 'failed' })
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 500, reserved_minor: 0 })

    const twice = await browser.submit(`/console/operator/payouts/${held.id}/resolve`, {
      outcome: 'failed',
      reason: 'changed my mind',
    })
    expect(twice.status).toBe(409)
    expect(textOf(twice.html)).toContain('already settled')

    const rows = await auditRows(db, 'payout.resolved')
    expect(
      rows.map((r) => [r.target, r.actor_type, (r.after as { outcome: string }).outcome]),
    ).toEqual(
      expect.arrayContaining([
        [held.id, 'operator', 'settled'],
        [other.id, 'operator', 'failed_final'],
      ]),
    )
    expect(rows).toHaveLength(2)
    const activity = textOf((await browser.open('/console/operator/activity')).html)
    expect(activity).toContain('Payout resolved')
    expect(activity).toContain('Float credited')
    expect(activity).toContain(p.name)
  })

  test('the API’s resolve writes the same audit row', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'skewed', bankAccount('00000044'))
    await h.drain()
    const held = await payoutOf(db, uuid)
    const resolved = await call(h.app, 'POST', `/operator/payouts/${held.id}/resolve`, {
      key: OPERATOR_TOKEN,
      body: { status: 'resend', reason: 'The portal has no such withdrawal' },
    })
    expect(resolved.status).toBe(200)
    const rows = await auditRows(db, 'payout.resolved')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ actor_type: 'operator', target: held.id })
    expect(rows[0]?.after).toMatchObject({ outcome: 'resend', resent_as: resolved.body.id })
  })
})

describe('the activity log', () => {
  test('shows every provider’s entries newest first, fifty a page, and filters by provider', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const a = await registerProvider(app)
    const b = await registerProvider(app)
    const ids = new Map<string, string>()
    for (const p of [a, b]) {
      const row = await db
        .selectFrom('providers')
        .select('id')
        .where('name', '=', p.name)
        .executeTakeFirstOrThrow()
      ids.set(p.name, row.id)
    }
    const base = Date.parse('2026-02-01T00:00:00Z')
    for (let i = 0; i < 55; i++) {
      await recordAudit(db, {
        actor: OPERATOR_ACTOR,
        providerId: ids.get(i % 2 === 0 ? a.name : b.name) ?? null,
        action: 'test.step',
        target: `step-${String(i).padStart(2, '0')}`,
        at: new Date(base + i * 60_000),
      })
    }
    const { browser } = await operatorIn(app)
    const first = await browser.open('/console/operator/activity')
    const steps = (html: string) => [...html.matchAll(/step-(\d\d)/g)].map((m) => Number(m[1]))
    // Registration's own entries are newer (the app's clock) and come first.
    const firstSteps = steps(first.html)
    expect(firstSteps[0]).toBe(54)
    expect(firstSteps).toEqual([...firstSteps].sort((x, y) => y - x))
    const older = /href="([^"]*cursor=[^"]+)">Older/.exec(first.html)?.[1]?.replace(/&amp;/g, '&')
    expect(older).toBeDefined()
    const second = await browser.open(older ?? '')
    const all = [...firstSteps, ...steps(second.html)]
    expect(new Set(all).size).toBe(55)
    expect(textOf(second.html)).toContain('Newest')

    const onlyA = await browser.open(`/console/operator/activity?provider=${a.name}`)
    const aSteps = steps(onlyA.html)
    expect(aSteps.length).toBeGreaterThan(0)
    expect(aSteps.every((n) => n % 2 === 0)).toBe(true)
    const unknown = await browser.open('/console/operator/activity?provider=nobody-here')
    expect(unknown.status).toBe(422)
    expect(textOf(unknown.html)).toContain('No provider is named nobody-here.')
    const forged = await browser.open('/console/operator/activity?cursor=bm9wZQ')
    expect(forged.status).toBe(422)
  })
})
