import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import type { Db } from '../../src/db/schema.ts'
import { textOf } from '../support/browserish.ts'
import { registerProvider } from '../support/client.ts'
import { type ConsoleBrowser, join, ownerOf, uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

/** Invites from the Team page, reading the link shown once. */
async function invite(browser: ConsoleBrowser, role: string) {
  await browser.open('/console/team')
  const page = await browser.submit('/console/team/invite', { role })
  expect(page.status).toBe(200)
  const url = /data-copy[^>]*>(http[^<]+)</.exec(page.html)?.[1]
  if (!url) throw new Error(`no invite link on the page: ${textOf(page.html)}`)
  return { url, page }
}

async function memberId(db: Db, email: string) {
  const row = await db
    .selectFrom('console_members')
    .select(['id', 'role'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row
}

async function teamOf(app: App) {
  const owner = await ownerOf(app)
  const viewer = await join(app, (await invite(owner.browser, 'viewer')).url, uniqueEmail('viewer'))
  return { owner, viewer }
}

async function snapshot(db: Db) {
  const members = await db
    .selectFrom('console_members')
    .select(['email', 'role'])
    .orderBy('email')
    .execute()
  const links = await db
    .selectFrom('console_links')
    .select(['id', 'expires_at', 'used_at'])
    .orderBy('id')
    .execute()
  const sessions = await db
    .selectFrom('console_sessions')
    .select(['id', 'ended_at'])
    .orderBy('id')
    .execute()
  return JSON.stringify({ members, links, sessions })
}

describe('console team: invites', () => {
  test('an owner invites, the link is shown once, and the invitee joins with that role', async ({
    harness,
    db,
  }) => {
    const { browser, email } = await ownerOf(harness.app)
    const { url, page } = await invite(browser, 'editor')
    expect(textOf(page.html)).toContain('copy it now: it will not be shown again')
    expect(textOf(page.html)).toContain('Cashout sends no email')
    const later = await browser.open('/console/team')
    expect(later.html).not.toContain(url)
    const waiting = textOf(later.html)
    expect(waiting).toContain('Invites waiting')
    expect(waiting).toContain(`Editor ${email} 8 Mar 2026, 11:00 am AEDT`)

    const joined = await join(harness.app, url, uniqueEmail('editor'))
    expect(textOf((await joined.browser.open('/console')).html)).toContain(
      `${joined.email} (editor)`,
    )
    expect((await memberId(db, joined.email)).role).toBe('editor')
    expect(textOf((await browser.open('/console/team')).html)).toContain('No invites are waiting.')
    const actions = await db.selectFrom('audit_log').select('action').execute()
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['member.invited', 'member.joined']),
    )
  })

  test('an owner withdraws an invite: the link stops working and the log says so', async ({
    harness,
    db,
  }) => {
    const { browser } = await ownerOf(harness.app)
    const { url } = await invite(browser, 'viewer')
    const link = await db
      .selectFrom('console_links')
      .select('id')
      .where('kind', '=', 'invite')
      .executeTakeFirstOrThrow()
    await browser.open('/console/team')
    const res = await browser.submit('/console/team/revoke', { invite: link.id })
    expect(res.status).toBe(303)
    expect(textOf((await browser.open('/console/team?done=revoked')).html)).toContain(
      'The invite link is withdrawn.',
    )
    const page = await browser.open(new URL(url).pathname)
    expect(page.status).toBe(404)
    expect(textOf(page.html)).toContain('This link cannot be used')
    const again = await browser.submit('/console/team/revoke', { invite: link.id })
    expect(again.status).toBe(404)
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'member.invite_revoked')
      .execute()
    expect(audit).toHaveLength(1)
  })

  test('a role outside owner, editor and viewer is refused beside the field', async ({
    harness,
    db,
  }) => {
    const { browser } = await ownerOf(harness.app)
    await browser.open('/console/team')
    const res = await browser.submit('/console/team/invite', { role: 'admin' })
    expect(res.status).toBe(422)
    expect(res.html).toMatch(/id="f-role-error"/)
    expect(
      await db.selectFrom('console_links').select('id').where('kind', '=', 'invite').execute(),
    ).toHaveLength(0)
  })
})

describe('console team: roles are enforced on the server', () => {
  test('a viewer sees no team buttons, and every team action it forges is refused with 403', async ({
    harness,
    db,
  }) => {
    const { owner, viewer } = await teamOf(harness.app)
    const ownerRow = await memberId(db, owner.email)
    const viewerRow = await memberId(db, viewer.email)
    await invite(owner.browser, 'editor')
    const pending = await db
      .selectFrom('console_links')
      .select('id')
      .where('kind', '=', 'invite')
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow()

    const page = await viewer.browser.open('/console/team')
    expect(page.status).toBe(200)
    expect(page.html).not.toMatch(/action="\/console\/team\//)
    expect(textOf(page.html)).toContain('Only an owner can invite people')
    expect(textOf(page.html)).toContain(owner.email)

    const before = await snapshot(db)
    const forged: [string, Record<string, string>][] = [
      ['/console/team/invite', { role: 'owner' }],
      ['/console/team/role', { member: viewerRow.id, role: 'owner' }],
      ['/console/team/role', { member: ownerRow.id, role: 'viewer' }],
      ['/console/team/remove', { member: ownerRow.id }],
      ['/console/team/revoke', { invite: pending.id }],
    ]
    for (const [path, fields] of forged) {
      const res = await viewer.browser.submit(path, fields)
      expect(res.status, path).toBe(403)
      expect(textOf(res.html)).toContain('Your role (viewer) cannot do this')
    }
    expect(await snapshot(db)).toBe(before)
  })

  test('an editor cannot change the team either', async ({ harness, db }) => {
    const { browser, email } = await ownerOf(harness.app)
    const editor = await join(harness.app, (await invite(browser, 'editor')).url, uniqueEmail('ed'))
    const ownerRow = await memberId(db, email)
    await editor.browser.open('/console/team')
    const before = await snapshot(db)
    for (const [path, fields] of [
      ['/console/team/invite', { role: 'viewer' }],
      ['/console/team/role', { member: ownerRow.id, role: 'editor' }],
      ['/console/team/remove', { member: ownerRow.id }],
    ] as const) {
      expect((await editor.browser.submit(path, fields)).status, path).toBe(403)
    }
    expect(await snapshot(db)).toBe(before)
  })

  test('team forms posted cross-site or without the token are refused and change nothing', async ({
    harness,
    db,
  }) => {
    const { owner, viewer } = await teamOf(harness.app)
    const viewerRow = await memberId(db, viewer.email)
    await owner.browser.open('/console/team')
    const before = await snapshot(db)
    const csrf = owner.browser.csrf
    for (const [path, fields] of [
      ['/console/team/invite', { role: 'owner' }],
      ['/console/team/role', { member: viewerRow.id, role: 'owner' }],
      ['/console/team/remove', { member: viewerRow.id }],
    ] as const) {
      const attempts = [
        await owner.browser.post(path, fields),
        await owner.browser.post(path, { ...fields, csrf: 'f'.repeat(64) }),
        await owner.browser.post(path, { ...fields, csrf }, { Origin: 'https://evil.example' }),
        await owner.browser.post(
          path,
          { ...fields, csrf },
          { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' },
        ),
      ]
      for (const res of attempts) expect(res.status, path).toBe(403)
    }
    expect(await snapshot(db)).toBe(before)
  })
})

describe('console team: changing and removing members', () => {
  test('an owner changes a role; it applies at once and is in the log', async ({ harness, db }) => {
    const { owner, viewer } = await teamOf(harness.app)
    const { id } = await memberId(db, viewer.email)
    await owner.browser.open('/console/team')
    const res = await owner.browser.submit('/console/team/role', { member: id, role: 'editor' })
    expect(res.status).toBe(303)
    expect(textOf((await viewer.browser.open('/console')).html)).toContain(
      `${viewer.email} (editor)`,
    )
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'member.role_changed')
      .executeTakeFirstOrThrow()
    expect(audit.before).toEqual({ role: 'viewer' })
    expect(audit.after).toEqual({ role: 'editor' })
    expect(audit.actor_label).toBe(owner.email)
  })

  test('the last owner can be neither demoted nor removed', async ({ harness, db }) => {
    const { browser, email } = await ownerOf(harness.app)
    const { id } = await memberId(db, email)
    await browser.open('/console/team')
    for (const [path, fields] of [
      ['/console/team/role', { member: id, role: 'editor' }],
      ['/console/team/remove', { member: id }],
    ] as const) {
      const res = await browser.submit(path, fields)
      expect(res.status, path).toBe(409)
      expect(textOf(res.html)).toContain('A team keeps at least one owner')
    }
    expect((await memberId(db, email)).role).toBe('owner')
    expect((await browser.open('/console/team')).status).toBe(200)
  })

  test('an owner may step down while another owner remains, and loses the owner pages at once', async ({
    harness,
    db,
  }) => {
    const first = await ownerOf(harness.app)
    const second = await join(
      harness.app,
      (await invite(first.browser, 'owner')).url,
      uniqueEmail(),
    )
    const { id } = await memberId(db, first.email)
    await first.browser.open('/console/team')
    const res = await first.browser.submit('/console/team/role', { member: id, role: 'viewer' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/console/team?done=demoted')
    const page = await first.browser.open('/console/team?done=demoted')
    expect(textOf(page.html)).toContain('closed to you now')
    expect(page.html).not.toMatch(/action="\/console\/team\//)
    expect((await first.browser.submit('/console/team/invite', { role: 'owner' })).status).toBe(403)
    // The other owner is now the last one.
    const secondId = (await memberId(db, second.email)).id
    await second.browser.open('/console/team')
    expect(
      (await second.browser.submit('/console/team/role', { member: secondId, role: 'editor' }))
        .status,
    ).toBe(409)
  })

  test('an owner may leave while another owner remains, and is signed out', async ({
    harness,
    db,
  }) => {
    const first = await ownerOf(harness.app)
    await join(harness.app, (await invite(first.browser, 'owner')).url, uniqueEmail())
    const { id } = await memberId(db, first.email)
    await first.browser.open('/console/team')
    const res = await first.browser.submit('/console/team/remove', { member: id })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/console/sign-in?signed_out')
    expect((await first.browser.open('/console')).status).toBe(302)
    const left = await db.selectFrom('console_members').select('email').execute()
    expect(left.map((m) => m.email)).not.toContain(first.email)
  })

  test('any role manages its own account', async ({ harness }) => {
    const { viewer } = await teamOf(harness.app)
    expect((await viewer.browser.open('/console/account')).status).toBe(200)
    expect((await viewer.browser.open('/console/account/two-factor')).status).toBe(200)
    const res = await viewer.browser.submit('/console/account/password', {
      current_password: viewer.password,
      new_password: 'a viewer’s own new passphrase',
    })
    expect(res.status).toBe(303)
    expect((await viewer.browser.open('/console/team')).status).toBe(200)
  })

  test('a removed member is signed out at once', async ({ harness, db }) => {
    const { owner, viewer } = await teamOf(harness.app)
    expect((await viewer.browser.open('/console')).status).toBe(200)
    const { id } = await memberId(db, viewer.email)
    await owner.browser.open('/console/team')
    const res = await owner.browser.submit('/console/team/remove', { member: id })
    expect(res.status).toBe(303)
    expect(textOf((await owner.browser.open('/console/team?done=removed')).html)).not.toContain(
      viewer.email,
    )
    const gone = await viewer.browser.open('/console')
    expect(gone.status).toBe(302)
    expect(gone.headers.get('location')).toBe('/console/sign-in')
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'member.removed')
      .executeTakeFirstOrThrow()
    expect(audit.target).toBe(viewer.email)
  })

  test('members of another provider, and ids that are not ids, are not found', async ({
    harness,
  }) => {
    const mine = await ownerOf(harness.app)
    const theirs = await ownerOf(harness.app, await registerProvider(harness.app))
    const db = harness.deps.db
    const { id } = await memberId(db, theirs.email)
    await mine.browser.open('/console/team')
    for (const member of [id, 'not-a-uuid', "1' or '1'='1"]) {
      const role = await mine.browser.submit('/console/team/role', { member, role: 'viewer' })
      expect(role.status, member).toBe(404)
      const remove = await mine.browser.submit('/console/team/remove', { member })
      expect(remove.status, member).toBe(404)
    }
    expect((await memberId(db, theirs.email)).role).toBe('owner')
    expect(textOf((await mine.browser.open('/console/team')).html)).not.toContain(theirs.email)
  })
})
