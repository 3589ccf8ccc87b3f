import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { OPERATOR } from '../../src/audit/record.ts'
import { issueLink } from '../../src/console/links.ts'
import type { Db } from '../../src/db/schema.ts'
import { textOf } from '../support/browserish.ts'
import { balance, call, fundedProvider, type TestProvider } from '../support/client.ts'
import { type ConsoleBrowser, join, ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import { bankAccount, PAYID, payoutHarness, submit } from '../support/payouts.ts'
import { claim, listed, providerIdOf } from './claims-fixtures.ts'

async function auditRows(db: Db, target: string) {
  return db.selectFrom('audit_log').selectAll().where('target', '=', target).execute()
}

/** An invited viewer, signed in (invite links are what owners hand out from Team). */
async function viewerOf(db: Db, app: App, p: TestProvider, publicUrl: string) {
  const link = await issueLink(db, {
    providerId: await providerIdOf(db, p.name),
    kind: 'invite',
    role: 'viewer',
    actor: OPERATOR,
    publicUrl,
    now: new Date(),
  })
  return (await join(app, link.url)).browser
}

describe('console claim detail and cancel', () => {
  test('shows the page language a claim was given at generate', async ({ harness }) => {
    const p = await fundedProvider(harness.app, 10_000)
    const uuid = await claim(harness.app, p, 'in-arabic', { amount: 100, locale: 'ar' })
    const { browser } = await ownerOf(harness.app, p)
    const detail = textOf((await browser.open(`/console/claims/${uuid}`)).html)
    expect(detail).toContain('Page language Arabic, set at generate')
  })

  test('an owner cancels an open claim: released, audited as the member, shown cancelled', async ({
    harness,
  }) => {
    const { app, db } = { app: harness.app, db: harness.deps.db }
    const p = await fundedProvider(app, 10_000)
    const uuid = await claim(app, p, 'to-cancel', { amount: 2500 })
    const { browser, email } = await ownerOf(app, p)

    const detail = await browser.open(`/console/claims/${uuid}`)
    expect(detail.status).toBe(200)
    const text = textOf(detail.html)
    expect(text).toContain('Claim to-cancel')
    expect(text).toContain(uuid)
    expect(text).toContain('$25.00')
    expect(text).toContain('claim.created')
    expect(text).toContain('No payout yet')
    expect(text).toContain('Page language The customer’s browser')
    expect(detail.html).toMatch(/<form[^>]*data-confirm="Cancel claim to-cancel\?/)
    expect(text).toContain('Cancel claim')

    const done = await browser.submit(`/console/claims/${uuid}/cancel`)
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(`/console/claims/${uuid}?cancelled=1`)
    const after = await browser.open(`/console/claims/${uuid}?cancelled=1`)
    const afterText = textOf(after.html)
    expect(afterText).toContain('Claim cancelled.')
    expect(afterText).toContain('Cancelled by the provider.')
    expect(afterText).toContain('claim.cancelled')
    expect(afterText).not.toContain('Cancel claim')

    const api = await call(app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })
    expect(api.body.status).toBe('cancelled')
    expect(await balance(app, p)).toMatchObject({ available_minor: 10_000, reserved_minor: 0 })
    const audit = await auditRows(db, uuid)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      action: 'claim.cancelled',
      actor_type: 'member',
      actor_label: email,
      livemode: false,
      provider_id: await providerIdOf(db, p.name),
      before: { status: 'open', reference: 'to-cancel' },
      after: { status: 'cancelled' },
    })
    expect(listed((await browser.open('/console/claims?status=cancelled')).html)).toEqual([uuid])

    // Again: refused, with a message, and nothing more written.
    const again = await browser.submit(`/console/claims/${uuid}/cancel`)
    expect(again.status).toBe(409)
    expect(textOf(again.html)).toContain('this one is cancelled. Nothing was changed.')
    expect(await auditRows(db, uuid)).toHaveLength(1)
  })

  test('the API’s cancel is audited as the key', async ({ harness }) => {
    const p = await fundedProvider(harness.app)
    const uuid = await claim(harness.app, p, 'api-cancel')
    expect(
      (await call(harness.app, 'POST', `/cashout/claims/${uuid}/cancel`, { key: p.key })).status,
    ).toBe(200)
    const audit = await auditRows(harness.deps.db, uuid)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      action: 'claim.cancelled',
      actor_type: 'key',
      actor_id: p.keyId,
    })
    expect(audit[0]?.actor_label).toMatch(/^ck_test_/)
  })

  test('a viewer sees no cancel button and a forged cancel is refused (403), claim still open', async ({
    harness,
  }) => {
    const { app, db } = { app: harness.app, db: harness.deps.db }
    const p = await fundedProvider(app)
    const uuid = await claim(app, p, 'viewer-sees')
    const viewer: ConsoleBrowser = await viewerOf(db, app, p, harness.deps.config.publicUrl)
    const page = await viewer.open(`/console/claims/${uuid}`)
    expect(page.status).toBe(200)
    expect(textOf(page.html)).not.toContain('Cancel claim')
    const forged = await viewer.submit(`/console/claims/${uuid}/cancel`)
    expect(forged.status).toBe(403)
    expect(textOf(forged.html)).toContain('Your role (viewer) cannot do this.')
    expect((await call(app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })).body.status).toBe(
      'open',
    )
    expect(await auditRows(db, uuid)).toHaveLength(0)
    // Reading and exporting are for every role.
    expect((await viewer.open('/console/claims.csv')).status).toBe(200)
  })

  test('a cancel without the form token is refused and changes nothing', async ({ harness }) => {
    const p = await fundedProvider(harness.app)
    const uuid = await claim(harness.app, p, 'csrf')
    const { browser } = await ownerOf(harness.app, p)
    const res = await browser.post(`/console/claims/${uuid}/cancel`, { csrf: 'forged' })
    expect(res.status).toBe(403)
    const api = await call(harness.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })
    expect(api.body.status).toBe('open')
  })

  // Pays through the sandbox over loopback HTTP: allow for a busy machine.
  test('a paid claim shows its events, each payout attempt masked, its webhooks; cancel is refused', {
    timeout: 90_000,
  }, async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claim(h.app, p, 'paid-1', { amount: 1500 })
    await submit(h.app, p, uuid, bankAccount('00000014'))
    await h.drain()
    await h.waitForClaim(p, uuid, 'open')
    await submit(h.app, p, uuid, PAYID)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    const { browser } = await ownerOf(h.app, p)

    const page = await browser.open(`/console/claims/${uuid}`)
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    for (const type of ['claim.created', 'claim.submitted', 'claim.reopened', 'claim.settled']) {
      expect(text).toContain(type)
    }
    expect(text).toContain('Paid')
    expect(text).toContain('Jane Citizen, BSB 062-000, account ••••0014')
    expect(text).toContain('ACCOUNT_INVALID')
    expect(text).toContain('PayID j•••@example.com')
    expect(page.html).not.toContain('00000014')
    expect(page.html).not.toContain('jane@example.com')
    const deliveries = await db
      .selectFrom('webhook_deliveries')
      .select('event_type')
      .where('claim_id', '=', uuid)
      .execute()
    expect(deliveries.length).toBeGreaterThanOrEqual(3)
    // Listed in the order of the events they announce, though several share one instant.
    const section = page.html.slice(page.html.indexOf('Webhook deliveries'))
    expect([...section.matchAll(/<code class="mono">([a-z.]+)<\/code>/g)].map((m) => m[1])).toEqual(
      ['claim.submitted', 'claim.reopened', 'claim.submitted', 'claim.settled'],
    )
    expect(deliveries).toHaveLength(4)
    expect(page.html).toContain('href="/console/webhooks"')
    expect(text).not.toContain('Cancel claim')

    const before = await balance(h.app, p)
    const refused = await browser.submit(`/console/claims/${uuid}/cancel`)
    expect(refused.status).toBe(409)
    expect(textOf(refused.html)).toContain(
      'Only open claims can be cancelled; this one is settled. Nothing was changed.',
    )
    expect((await call(h.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })).body.status).toBe(
      'settled',
    )
    expect(await balance(h.app, p)).toEqual(before)
    expect(await auditRows(db, uuid)).toHaveLength(0)
  })
})
