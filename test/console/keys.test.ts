import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { OPERATOR } from '../../src/audit/record.ts'
import { issueLink } from '../../src/console/links.ts'
import type { Db, MemberRole } from '../../src/db/schema.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, type TestProvider } from '../support/client.ts'
import { type ConsoleBrowser, join, ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import { until } from '../support/receiver.ts'

const NOW = new Date('2026-03-01T00:00:00Z')

/** A member of `provider` with `role`, signed in through an invite link. */
async function memberWith(app: App, db: Db, provider: TestProvider, role: MemberRole) {
  const row = await db
    .selectFrom('providers')
    .select('id')
    .where('name', '=', provider.name)
    .executeTakeFirstOrThrow()
  const link = await issueLink(db, {
    providerId: row.id,
    kind: 'invite',
    role,
    actor: OPERATOR,
    publicUrl: 'http://cashout.test',
    now: NOW,
  })
  return (await join(app, link.url)).browser
}

async function openKeys(browser: ConsoleBrowser) {
  const page = await browser.open('/console/keys')
  expect(page.status).toBe(200)
  return page
}

/** The full key a page shows once, if any. */
const shownKey = (html: string) =>
  /<code class="secret"[^>]*>\s*(ck_(?:test|live)_[^<\s]+)/.exec(html)?.[1]

const profileWith = (app: App, key: string) => call(app, 'GET', '/cashout/profile', { key })

async function auditOf(db: Db, action: string) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).execute()
}

describe('console API keys page', () => {
  test('lists the keys of the session’s mode with prefix, label, dates and state', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const { browser, provider } = await ownerOf(app)
    await profileWith(app, provider.key)
    // Use is recorded after the answer, so wait for it to land.
    await until(
      () =>
        db
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('id', '=', provider.keyId)
          .executeTakeFirstOrThrow(),
      (row) => row.last_used_at !== null,
    )
    const prefix = provider.key.split('_')[2] ?? ''
    const livePrefix = (provider.liveKey ?? '').split('_')[2] ?? ''
    const page = textOf((await openKeys(browser)).html)
    expect(page).toContain(`ck_test_${prefix}…`)
    expect(page).not.toContain(livePrefix)
    expect(page).toContain('Active')
    expect(page).toContain('1 Mar 2026')
    expect(page).not.toContain('Never')
    const made = await browser.submit('/console/keys', { label: 'Unused' })
    expect(made.status).toBe(201)
    expect(textOf((await openKeys(browser)).html)).toContain('Never')
    expect(page).not.toContain(provider.key)

    await browser.submit('/console/mode', { mode: 'live', back: '/console/keys' })
    const live = textOf((await openKeys(browser)).html)
    expect(live).toContain(`ck_live_${livePrefix}…`)
    expect(live).not.toContain(`ck_test_${prefix}`)
    expect(live).toContain('they move real money')
  })

  test('an owner creates a key: shown once, it works as a Bearer key, then never shown', async ({
    harness,
    db,
  }) => {
    const { browser } = await ownerOf(harness.app)
    await openKeys(browser)
    const made = await browser.submit('/console/keys', { label: 'Shop server' })
    expect(made.status).toBe(201)
    const key = shownKey(made.html) ?? ''
    expect(key).toMatch(/^ck_test_/)
    expect(textOf(made.html)).toContain('it will not be shown again')
    expect((await profileWith(harness.app, key)).status).toBe(200)

    const later = await openKeys(browser)
    expect(later.html).not.toContain(key)
    expect(textOf(later.html)).toContain('Shop server')
    const [audit] = await auditOf(db, 'key.created')
    expect(audit).toMatchObject({
      actor_type: 'member',
      livemode: false,
      target: key.split('_').slice(0, 3).join('_'),
      after: { label: 'Shop server' },
    })
    expect(JSON.stringify(audit)).not.toContain(key)
  })

  test('a key without a label is fine; an over-long label is refused beside the field', async ({
    harness,
    db,
  }) => {
    const { browser } = await ownerOf(harness.app)
    await openKeys(browser)
    const plain = await browser.submit('/console/keys', { label: '' })
    expect(plain.status).toBe(201)
    expect(textOf(plain.html)).toContain('No label')
    const long = await browser.submit('/console/keys', { label: 'x'.repeat(101) })
    expect(long.status).toBe(422)
    expect(shownKey(long.html)).toBeUndefined()
    const field = /<div class="field has-error">([\s\S]*?)<\/div>/.exec(long.html)?.[1] ?? ''
    expect(textOf(field)).toContain('Must be at most 100 characters.')
    expect(field).toContain(`value="${'x'.repeat(101)}"`)
    expect(await auditOf(db, 'key.created')).toHaveLength(1)
  })

  test('an owner revokes a key: it gets 401; the last active key is kept with a clear reason', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await openKeys(browser)
    const made = await browser.submit('/console/keys', { label: 'Spare' })
    const spare = shownKey(made.html) ?? ''
    const spareId = (
      await db
        .selectFrom('api_keys')
        .select('id')
        .where('label', '=', 'Spare')
        .executeTakeFirstOrThrow()
    ).id

    await openKeys(browser)
    const revoked = await browser.submit(`/console/keys/${provider.keyId}/revoke`)
    expect(revoked.status).toBe(303)
    expect(revoked.headers.get('location')).toBe('/console/keys?done=revoked')
    expect((await profileWith(harness.app, provider.key)).status).toBe(401)
    expect((await profileWith(harness.app, spare)).status).toBe(200)
    const page = textOf((await browser.open('/console/keys?done=revoked')).html)
    expect(page).toContain('The key is revoked')
    expect(page).toMatch(/Revoked \d+ Mar 2026/)
    const [audit] = await auditOf(db, 'key.revoked')
    expect(audit).toMatchObject({
      actor_type: 'member',
      before: { revoked: false },
      after: { revoked: true },
    })

    const last = await browser.submit(`/console/keys/${spareId}/revoke`)
    expect(last.status).toBe(409)
    expect(textOf(last.html)).toContain('This is your last active test key')
    expect((await profileWith(harness.app, spare)).status).toBe(200)
    expect(await auditOf(db, 'key.revoked')).toHaveLength(1)
  })

  test('revoking a key that is not yours is not found', async ({ harness }) => {
    const { browser } = await ownerOf(harness.app)
    const other = await ownerOf(harness.app)
    await openKeys(browser)
    const page = await browser.submit(`/console/keys/${other.provider.keyId}/revoke`)
    expect(page.status).toBe(404)
    expect((await profileWith(harness.app, other.provider.key)).status).toBe(200)
    expect((await browser.submit('/console/keys/not-a-uuid/revoke')).status).toBe(404)
  })

  test('editors and viewers see the keys but cannot create or revoke them', async ({
    harness,
    db,
  }) => {
    const { browser, provider } = await ownerOf(harness.app)
    await openKeys(browser)
    await browser.submit('/console/keys', { label: 'Spare' })
    for (const role of ['editor', 'viewer'] as const) {
      const member = await memberWith(harness.app, db, provider, role)
      const page = await openKeys(member)
      expect(textOf(page.html)).toContain('Only owners create and revoke keys.')
      expect(page.html).not.toContain('/revoke')
      const made = await member.submit('/console/keys', { label: 'sneaky' })
      expect(made.status).toBe(403)
      expect(shownKey(made.html)).toBeUndefined()
      const revoke = await member.submit(`/console/keys/${provider.keyId}/revoke`)
      expect(revoke.status).toBe(403)
    }
    expect((await profileWith(harness.app, provider.key)).status).toBe(200)
    const keys = await db.selectFrom('api_keys').select('label').execute()
    expect(keys.map((k) => k.label).sort()).toEqual(['Spare', 'first key'])
    expect(await auditOf(db, 'key.revoked')).toHaveLength(0)
  })

  test('a live-mode console makes live keys', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const { browser } = await ownerOf(app)
    await browser.submit('/console/mode', { mode: 'live', back: '/console/keys' })
    await openKeys(browser)
    const made = await browser.submit('/console/keys', { label: 'Live shop' })
    const key = shownKey(made.html) ?? ''
    expect(key).toMatch(/^ck_live_/)
    const profile = await profileWith(app, key)
    expect(profile.status).toBe(200)
    const [audit] = await auditOf(db, 'key.created')
    expect(audit).toMatchObject({ livemode: true })
  })

  test('keys made and revoked through the API are in the audit log under the key', async ({
    harness,
    db,
  }) => {
    const { provider } = await ownerOf(harness.app)
    const made = await call(harness.app, 'POST', '/cashout/keys', {
      key: provider.key,
      body: { label: 'CI' },
    })
    expect(made.status).toBe(201)
    await call(harness.app, 'DELETE', `/cashout/keys/${made.body.id}`, { key: provider.key })
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_label', 'target'])
      .where('action', 'like', 'key.%')
      .execute()
    const prefix = provider.key.split('_').slice(0, 3).join('_')
    expect(rows).toHaveLength(2)
    for (const row of rows) {
      expect(row).toMatchObject({ actor_type: 'key', actor_label: prefix })
      expect(row.target).toBe(`ck_test_${made.body.prefix}`)
    }
  })
})
