import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { issueLink } from '../../src/console/links.ts'
import type { Db, MemberRole } from '../../src/db/schema.ts'
import { call, generate, registerProvider } from '../support/client.ts'
import { type ConsoleBrowser, join, ownerOf, uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

/** The fields a page's form would post: its inputs' values and its selects' chosen options. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`)
  if (start < 0) throw new Error(`no form posts to ${action}`)
  const form = html.slice(start, html.indexOf('</form>', start))
  const fields: Record<string, string> = {}
  for (const [, tag] of form.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(tag ?? '')?.[1]
    if (name) fields[name] = /value="([^"]*)"/.exec(tag ?? '')?.[1] ?? ''
  }
  for (const [, name, body] of form.matchAll(
    /<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g,
  )) {
    const chosen = /<option value="([^"]*)" selected/.exec(body ?? '')
    const first = /<option value="([^"]*)"/.exec(body ?? '')
    if (name) fields[name] = (chosen ?? first)?.[1] ?? ''
  }
  return fields
}

async function auditCount(db: Db) {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A provider with an owner, a member of `role` acting, and things for each action to act on. */
async function world(app: App, db: Db, role: MemberRole) {
  const provider = await registerProvider(app)
  const owner = await ownerOf(app, provider)
  const invite = async (r: MemberRole) => {
    const link = await issueLink(db, {
      providerId: (
        await db
          .selectFrom('providers')
          .select('id')
          .where('name', '=', provider.name)
          .executeTakeFirstOrThrow()
      ).id,
      kind: 'invite',
      role: r,
      actor: { type: 'system', id: null, label: 'test' },
      publicUrl: 'http://cashout.test',
      now: new Date(),
    })
    return link
  }
  const actor: ConsoleBrowser =
    role === 'owner' ? owner.browser : (await join(app, (await invite(role)).url)).browser
  const target = await join(app, (await invite('viewer')).url, uniqueEmail('target'))
  const targetId = (
    await db
      .selectFrom('console_members')
      .select('id')
      .where('email', '=', target.email)
      .executeTakeFirstOrThrow()
  ).id
  await invite('editor')
  const pendingInvite = await db
    .selectFrom('console_links')
    .select('id')
    .where('kind', '=', 'invite')
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  await call(app, 'POST', '/cashout/test/fund', {
    key: provider.key,
    body: { amount_minor: 100_000 },
  })
  const claim = (await generate(app, provider, { amount: 500, id: 'roles-1' })).body
  const spareKey = (await call(app, 'POST', '/cashout/keys', { key: provider.key, body: {} })).body
  const delivery = (await call(app, 'POST', '/cashout/webhooks/test', { key: provider.key })).body
  const rulesPage = await actor.open('/console/rules')
  const rule: Record<string, string> = {
    ...formFields(rulesPage.html, '/console/rules'),
    intent: 'save',
    cash: '2.00',
  }
  delete rule.csrf
  return { actor, claim, targetId, pendingInvite, spareKey, delivery, rule }
}

type World = Awaited<ReturnType<typeof world>>

/** Every action a store owner's console can take, what it needs, and who may take it. */
const ACTIONS: {
  name: string
  roles: MemberRole[]
  post: (w: World) => [string, Record<string, string>]
}[] = [
  { name: 'save the rule', roles: ['owner', 'editor'], post: (w) => ['/console/rules', w.rule] },
  {
    name: 'cancel a claim',
    roles: ['owner', 'editor'],
    post: (w) => [`/console/claims/${w.claim.uuid}/cancel`, {}],
  },
  {
    name: 'replay a delivery',
    roles: ['owner', 'editor'],
    post: (w) => [`/console/webhooks/deliveries/${w.delivery.id}/replay`, {}],
  },
  {
    name: 'send a test webhook',
    roles: ['owner', 'editor'],
    post: () => ['/console/webhooks/test', {}],
  },
  { name: 'rotate the secret', roles: ['owner'], post: () => ['/console/webhooks/secret', {}] },
  {
    name: 'change the endpoint',
    roles: ['owner'],
    post: () => ['/console/webhooks/endpoint', { endpoint: 'https://hooks.example.com/other' }],
  },
  {
    name: 'set the float alert',
    roles: ['owner'],
    post: () => ['/console/float/threshold', { threshold: '10.00' }],
  },
  { name: 'create a key', roles: ['owner'], post: () => ['/console/keys', { label: 'new' }] },
  {
    name: 'revoke a key',
    roles: ['owner'],
    post: (w) => [`/console/keys/${w.spareKey.id}/revoke`, {}],
  },
  {
    name: 'invite a member',
    roles: ['owner'],
    post: () => ['/console/team/invite', { role: 'viewer' }],
  },
  {
    name: 'change a role',
    roles: ['owner'],
    post: (w) => ['/console/team/role', { member: w.targetId, role: 'editor' }],
  },
  {
    name: 'withdraw an invite',
    roles: ['owner'],
    post: (w) => ['/console/team/revoke', { invite: w.pendingInvite.id }],
  },
  {
    name: 'remove a member',
    roles: ['owner'],
    post: (w) => ['/console/team/remove', { member: w.targetId }],
  },
  {
    name: 'change the settings',
    roles: ['owner'],
    post: () => [
      '/console/settings',
      {
        display_name: 'Acme Rewards',
        accent_colour: '#0a5c36',
        support_contact: 'help@acme.example',
      },
    ],
  },
]

const PAGES = [
  '/console',
  '/console/rules',
  '/console/claims',
  '/console/float',
  '/console/webhooks',
  '/console/keys',
  '/console/team',
  '/console/settings',
  '/console/activity',
  '/console/account',
  '/console/claims.csv',
  '/console/statement.csv',
]

describe('every role against every console action, checked on the server', () => {
  test.for(['owner', 'editor', 'viewer'] as MemberRole[])(
    'as %s',
    { timeout: 60_000 },
    async (role, { harness, db }) => {
      const w = await world(harness.app, db, role)
      for (const path of PAGES) {
        const page = await w.actor.open(path)
        expect(page.status, `${role} reads ${path}`).toBe(200)
        // The claim page's headers on every console page; nothing inline for the CSP to allow.
        expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
        expect(page.headers.get('x-frame-options')).toBe('DENY')
        expect(page.headers.get('cache-control')).toBe('no-store')
        expect(page.html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle="|\son[a-z]+="/)
      }
      for (const action of ACTIONS) {
        const [path, fields] = action.post(w)
        await w.actor.open('/console')
        const before = await auditCount(db)
        const reply = await w.actor.submit(path, fields)
        const after = await auditCount(db)
        if (action.roles.includes(role)) {
          expect(
            reply.status,
            `${role} may ${action.name}: ${reply.html.slice(0, 300)}`,
          ).toBeLessThan(400)
          expect(after, `${role} ${action.name} is in the audit log`).toBeGreaterThan(before)
        } else {
          expect(reply.status, `${role} may not ${action.name}`).toBe(403)
          expect(after, `${role} ${action.name} changed nothing`).toBe(before)
        }
      }
      // The operator's pages are not a member's, whatever the role.
      const operator = await w.actor.get('/console/operator')
      expect(operator.status).toBe(302)
    },
  )
})
