import { Webhook } from 'standardwebhooks'
import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { OPERATOR } from '../../src/audit/record.ts'
import { manualClock } from '../../src/clock.ts'
import { issueLink } from '../../src/console/links.ts'
import type { Db, MemberRole } from '../../src/db/schema.ts'
import { nodeTransport } from '../../src/webhooks/node-transport.ts'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, expectError, registerProvider, type TestProvider } from '../support/client.ts'
import { type ConsoleBrowser, join, ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

interface Sent {
  url: string
  headers: Record<string, string>
  body: string
}

/** Records what would be posted and answers with `status`; endpoint vetting is the real one. */
function recordingTransport() {
  const sent: Sent[] = []
  const real = nodeTransport({ allowLoopback: false })
  const state = { status: 200 }
  const transport: WebhookTransport = {
    vet: (url) => real.vet(url),
    post: async (url, headers, body) => {
      sent.push({ url, headers, body })
      return { status: state.status, retryAfter: null }
    },
  }
  return { sent, state, transport }
}

async function scene(db: Db, env: Record<string, string> = {}) {
  const recorder = recordingTransport()
  // Real time: receivers check a signature's timestamp against their own clock.
  const clock = manualClock(new Date())
  const built = buildTestApp(db, { clock, webhooks: recorder.transport, env })
  const owner = await ownerOf(built.app)
  const deliver = async () => {
    while ((await runWebhookBatch({ deps: built.deps, workerId: 'test' })) > 0) {}
  }
  return { ...built, ...recorder, clock, ...owner, deliver }
}

async function providerId(db: Db, name: string) {
  const row = await db
    .selectFrom('providers')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A member of `provider` with `role`, signed in through an invite link. */
async function memberWith(
  s: { app: App; deps: { db: Db; clock: { now(): Date } } },
  provider: TestProvider,
  role: MemberRole,
) {
  const { db, clock } = s.deps
  const link = await issueLink(db, {
    providerId: await providerId(db, provider.name),
    kind: 'invite',
    role,
    actor: OPERATOR,
    publicUrl: 'http://cashout.test',
    now: clock.now(),
  })
  return (await join(s.app, link.url)).browser
}

async function auditOf(db: Db, action: string) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).execute()
}

async function deliveries(db: Db) {
  return db.selectFrom('webhook_deliveries').selectAll().orderBy('created_at').execute()
}

async function sendTest(app: App, provider: TestProvider) {
  const reply = await call(app, 'POST', '/cashout/webhooks/test', { key: provider.key })
  expect(reply.status).toBe(201)
  return reply.body.id as string
}

async function openWebhooks(browser: ConsoleBrowser, query = '') {
  const page = await browser.open(`/console/webhooks${query}`)
  expect(page.status).toBe(200)
  return page
}

describe('console webhooks page', () => {
  test('shows the endpoint, its state and each delivery with every attempt', async ({ db }) => {
    const s = await scene(db)
    s.state.status = 500
    await sendTest(s.app, s.provider)
    await s.deliver()
    const page = textOf((await openWebhooks(s.browser)).html)
    expect(page).toContain('https://hooks.example.com/cashout')
    expect(page).toContain('On: events are sent as they happen.')
    expect(page).toContain('webhook.test')
    expect(page).toContain('Waiting')
    expect(page).toContain('HTTP 500')
    expect(page).toMatch(/\d+ ms/)
    expect(page).toContain('next try')

    await db
      .updateTable('providers')
      .set({
        webhook_disabled_at: new Date('2026-03-01T00:00:00Z'),
        webhook_disabled_reason: 'The endpoint answered 410 Gone.',
      })
      .execute()
    const off = textOf((await openWebhooks(s.browser)).html)
    expect(off).toContain('Off since 1 Mar 2026')
    expect(off).toContain('The endpoint answered 410 Gone.')
  })

  test('lists the session mode’s deliveries newest first, 20 a page', async ({ db }) => {
    // More test events than the default budget of on-demand sends, to fill two pages.
    const s = await scene(db, { WEBHOOK_SEND_BUDGET: '100' })
    const ids: string[] = []
    for (let i = 0; i < 23; i++) {
      ids.push(await sendTest(s.app, s.provider))
      s.clock.advance(1000)
    }
    const first = await openWebhooks(s.browser)
    const shown = [...first.html.matchAll(/<span class="mono">(msg_[0-9a-f]{32})<\/span>/g)].map(
      (m) => m[1],
    )
    expect(shown).toEqual(ids.slice(-20).reverse())
    const older = /href="(\/console\/webhooks\?cursor=[^"]+)"/.exec(first.html)?.[1]
    expect(older).toBeDefined()
    const second = await openWebhooks(s.browser, (older ?? '').replace('/console/webhooks', ''))
    const rest = [...second.html.matchAll(/<span class="mono">(msg_[0-9a-f]{32})<\/span>/g)].map(
      (m) => m[1],
    )
    expect(rest).toEqual(ids.slice(0, 3).reverse())
    expect(textOf(second.html)).toContain('Newest deliveries')
  })

  test('shows only the deliveries of the mode the session is looking at', async ({ db }) => {
    const s = await scene(db, LIVE_ENV)
    const testId = await sendTest(s.app, s.provider)
    const live = await call(s.app, 'POST', '/cashout/webhooks/test', {
      key: s.provider.liveKey ?? '',
    })
    expect(live.status).toBe(201)
    const inTest = (await openWebhooks(s.browser)).html
    expect(inTest).toContain(testId)
    expect(inTest).not.toContain(live.body.id)
    await s.browser.submit('/console/mode', { mode: 'live', back: '/console/webhooks' })
    const inLive = (await openWebhooks(s.browser)).html
    expect(inLive).toContain(live.body.id)
    expect(inLive).not.toContain(testId)
  })
})

describe('console webhook actions', () => {
  test('owners and editors replay a delivery; a viewer is refused and nothing changes', async ({
    db,
  }) => {
    const s = await scene(db)
    s.state.status = 500
    const id = await sendTest(s.app, s.provider)
    await s.deliver()
    const editor = await memberWith(s, s.provider, 'editor')
    const viewer = await memberWith(s, s.provider, 'viewer')

    await openWebhooks(viewer)
    const viewerPage = await viewer.open('/console/webhooks')
    expect(viewerPage.html).not.toContain('/replay')
    const refused = await viewer.submit(`/console/webhooks/deliveries/${id}/replay`)
    expect(refused.status).toBe(403)
    expect(textOf(refused.html)).toContain('Your role (viewer) cannot do this.')
    expect((await deliveries(db))[0]?.attempts).toBe(1)
    expect(await auditOf(db, 'webhook.replayed')).toHaveLength(0)

    await openWebhooks(editor)
    const done = await editor.submit(`/console/webhooks/deliveries/${id}/replay`)
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('/console/webhooks?done=replayed')
    const [row] = await deliveries(db)
    expect(row).toMatchObject({ status: 'pending', attempts: 0 })
    const [audit] = await auditOf(db, 'webhook.replayed')
    expect(audit).toMatchObject({ actor_type: 'member', target: id, livemode: false })
    expect(audit?.actor_label).toMatch(/^owner-\d+-/)
    const after = textOf((await openWebhooks(editor, '?done=replayed')).html)
    expect(after).toContain('queued again')

    s.state.status = 200
    await s.deliver()
    await openWebhooks(s.browser)
    expect((await s.browser.submit(`/console/webhooks/deliveries/${id}/replay`)).status).toBe(303)
    expect(await auditOf(db, 'webhook.replayed')).toHaveLength(2)
  })

  test('replaying an unknown delivery is not found', async ({ db }) => {
    const s = await scene(db)
    await openWebhooks(s.browser)
    const page = await s.browser.submit(`/console/webhooks/deliveries/msg_${'0'.repeat(32)}/replay`)
    expect(page.status).toBe(404)
    expect(textOf(page.html)).toContain('You have no delivery with that id.')
  })

  test('an editor sends a test event, which is delivered; a viewer cannot', async ({ db }) => {
    const s = await scene(db)
    const editor = await memberWith(s, s.provider, 'editor')
    const viewer = await memberWith(s, s.provider, 'viewer')
    await openWebhooks(viewer)
    expect((await viewer.submit('/console/webhooks/test')).status).toBe(403)
    expect(await deliveries(db)).toHaveLength(0)

    await openWebhooks(editor)
    expect((await editor.submit('/console/webhooks/test')).status).toBe(303)
    const [queued] = await deliveries(db)
    expect(queued).toMatchObject({ event_type: 'webhook.test', livemode: false })
    const [audit] = await auditOf(db, 'webhook.test_sent')
    expect(audit).toMatchObject({ actor_type: 'member', target: queued?.id })
    await s.deliver()
    expect(s.sent).toHaveLength(1)
    const page = textOf((await openWebhooks(editor)).html)
    expect(page).toContain('Delivered')
    expect(page).toContain('HTTP 200')
  })

  test('past the send budget a test event is refused with 429, and Retry-After agrees with the page', async ({
    db,
  }) => {
    const s = await scene(db, { WEBHOOK_SEND_BUDGET: '2' })
    await openWebhooks(s.browser)
    expect((await s.browser.submit('/console/webhooks/test')).status).toBe(303)
    await openWebhooks(s.browser)
    expect((await s.browser.submit('/console/webhooks/test')).status).toBe(303)
    await openWebhooks(s.browser)
    const refused = await s.browser.submit('/console/webhooks/test')
    expect(refused.status).toBe(429)
    // The budget's window is ten minutes from the first send; the page says what is left of it.
    const said = /Try again in (\d+) seconds/.exec(textOf(refused.html))?.[1]
    expect(Number(said)).toBeGreaterThan(590)
    expect(Number(said)).toBeLessThanOrEqual(600)
    expect(refused.headers.get('retry-after')).toBe(said)
    expect(await deliveries(db)).toHaveLength(2)
  })

  test('an owner rotates the secret: shown once, then never; old and new both sign', async ({
    db,
  }) => {
    const s = await scene(db)
    await openWebhooks(s.browser)
    const rotated = await s.browser.submit('/console/webhooks/secret')
    expect(rotated.status).toBe(200)
    const secret = /(whsec_[A-Za-z0-9+/=]+)/.exec(rotated.html)?.[1] ?? ''
    expect(secret).not.toBe('')
    expect(textOf(rotated.html)).toContain('it will not be shown again')
    expect(textOf(rotated.html)).toContain('Old secrets still sign until')
    const again = await openWebhooks(s.browser)
    expect(again.html).not.toContain(secret)
    expect(again.html).not.toContain('whsec_')

    const [audit] = await auditOf(db, 'webhook.secret_rotated')
    expect(audit).toMatchObject({ actor_type: 'member', actor_label: s.email })
    expect(JSON.stringify(audit)).not.toContain('whsec_')

    await sendTest(s.app, s.provider)
    await s.deliver()
    const sent = s.sent[0]
    expect(sent?.headers['webhook-signature']?.split(' ')).toHaveLength(2)
    for (const key of [secret, s.provider.webhookSecret]) {
      expect(() => new Webhook(key).verify(sent?.body ?? '', sent?.headers ?? {})).not.toThrow()
    }
  })

  test('a fourth rotation while three old secrets still sign is refused on the page, in words', async ({
    db,
  }) => {
    const s = await scene(db)
    await openWebhooks(s.browser)
    for (let i = 0; i < 3; i++) {
      expect((await s.browser.submit('/console/webhooks/secret')).status).toBe(200)
    }
    const refused = await s.browser.submit('/console/webhooks/secret')
    expect(refused.status).toBe(409)
    expect(refused.html).not.toContain('whsec_')
    expect(textOf(refused.html)).toContain('Three earlier secrets still sign')
    expect(await auditOf(db, 'webhook.secret_rotated')).toHaveLength(3)
  })

  test('editors and viewers cannot rotate the secret or change the endpoint', async ({ db }) => {
    const s = await scene(db)
    const before = await db
      .selectFrom('providers')
      .select(['webhook_secret_jwe', 'endpoint'])
      .executeTakeFirstOrThrow()
    for (const role of ['editor', 'viewer'] as const) {
      const member = await memberWith(s, s.provider, role)
      const page = await openWebhooks(member)
      expect(textOf(page.html)).not.toContain('Rotate secret')
      expect(textOf(page.html)).not.toContain('Change endpoint')
      const rotate = await member.submit('/console/webhooks/secret')
      expect(rotate.status).toBe(403)
      expect(rotate.html).not.toContain('whsec_')
      const change = await member.submit('/console/webhooks/endpoint', {
        endpoint: 'https://evil.example.com/x',
      })
      expect(change.status).toBe(403)
    }
    const after = await db
      .selectFrom('providers')
      .select(['webhook_secret_jwe', 'endpoint'])
      .executeTakeFirstOrThrow()
    expect(after).toEqual(before)
    expect(await auditOf(db, 'webhook.secret_rotated')).toHaveLength(0)
    expect(await auditOf(db, 'webhook.endpoint_changed')).toHaveLength(0)
  })

  test('an owner changes the endpoint; the change is in the audit log and turns deliveries on', async ({
    db,
  }) => {
    const s = await scene(db)
    await db
      .updateTable('providers')
      .set({
        webhook_disabled_at: new Date(),
        webhook_disabled_reason: 'The endpoint answered 410 Gone.',
      })
      .execute()
    await openWebhooks(s.browser)
    const saved = await s.browser.submit('/console/webhooks/endpoint', {
      endpoint: 'https://new.example.com/hooks',
    })
    expect(saved.status).toBe(303)
    const page = textOf((await openWebhooks(s.browser, '?done=endpoint')).html)
    expect(page).toContain('https://new.example.com/hooks')
    expect(page).toContain('The endpoint is saved and deliveries are on.')
    const [audit] = await auditOf(db, 'webhook.endpoint_changed')
    expect(audit).toMatchObject({
      actor_type: 'member',
      actor_label: s.email,
      before: { endpoint: 'https://hooks.example.com/cashout', enabled: false },
      after: { endpoint: 'https://new.example.com/hooks', enabled: true },
    })
    const profile = await call(s.app, 'GET', '/cashout/profile', { key: s.provider.key })
    expect(profile.body.endpoint).toBe('https://new.example.com/hooks')
  })

  test.for([
    ['http://127.0.0.1:1/x', 'Must not point at a loopback address.'],
    ['https://10.1.2.3/x', 'Must not point at a private address.'],
    ['https://192.168.1.1/x', 'Must not point at a private address.'],
    ['http://hooks.example.com/x', 'Must be an https URL.'],
    ['not a url', 'Must be an absolute https URL.'],
  ] as [string, string][])(
    'refuses the endpoint %s with the reason beside the field',
    async ([endpoint, message], { db }) => {
      const s = await scene(db)
      await openWebhooks(s.browser)
      const page = await s.browser.submit('/console/webhooks/endpoint', { endpoint })
      expect(page.status).toBe(422)
      const field = /<div class="field has-error">([\s\S]*?)<\/div>/.exec(page.html)?.[1] ?? ''
      expect(textOf(field)).toContain(message)
      expect(field).toContain('name="endpoint"')
      expect(field).toContain(`value="${endpoint}"`)
      expect(field).toContain('aria-invalid="true"')
      const row = await db.selectFrom('providers').select('endpoint').executeTakeFirstOrThrow()
      expect(row.endpoint).toBe('https://hooks.example.com/cashout')
      expect(await auditOf(db, 'webhook.endpoint_changed')).toHaveLength(0)
    },
  )

  test('with live keys held, the API needs a live key but a console owner may change the endpoint', async ({
    db,
  }) => {
    const s = await scene(db, LIVE_ENV)
    const viaTestKey = await call(s.app, 'POST', '/cashout/profile', {
      key: s.provider.key,
      body: { endpoint: 'https://other.example.com/x' },
    })
    expectError(viaTestKey, 403, 'live_key_required')
    await openWebhooks(s.browser)
    const saved = await s.browser.submit('/console/webhooks/endpoint', {
      endpoint: 'https://other.example.com/x',
    })
    expect(saved.status).toBe(303)
    const [audit] = await auditOf(db, 'webhook.endpoint_changed')
    expect(audit).toMatchObject({ actor_type: 'member', actor_label: s.email })
  })
})

describe('webhook verbs from the API', () => {
  test('replay, test and rotation by key are in the audit log under the key', async ({ db }) => {
    const s = await scene(db)
    const id = await sendTest(s.app, s.provider)
    await s.deliver()
    await call(s.app, 'POST', `/cashout/webhooks/deliveries/${id}/replay`, { key: s.provider.key })
    await call(s.app, 'POST', '/cashout/webhooks/secret/rotate', { key: s.provider.key, body: {} })
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_label'])
      .where('action', 'like', 'webhook.%')
      .orderBy('created_at')
      .execute()
    expect(rows.map((r) => r.action).sort()).toEqual([
      'webhook.replayed',
      'webhook.secret_rotated',
      'webhook.test_sent',
    ])
    for (const row of rows) {
      expect(row.actor_type).toBe('key')
      expect(row.actor_label).toMatch(/^ck_test_[a-z0-9]+$/)
    }
  })
})

describe('webhook settings read by key', () => {
  test('GET /cashout/webhooks still reports the endpoint and counts', async ({ harness }) => {
    const p = await registerProvider(harness.app)
    const reply = await call(harness.app, 'GET', '/cashout/webhooks', { key: p.key })
    expect(reply.body).toMatchObject({
      endpoint: 'https://hooks.example.com/cashout',
      enabled: true,
      pending: 0,
      exhausted: 0,
      previous_secret_valid_until: null,
    })
  })
})
