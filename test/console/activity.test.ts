import { compileErrors, validate } from '@readme/openapi-parser'
import { describe, expect } from 'vitest'
import { recordAudit } from '../../src/audit/record.ts'
import type { Db } from '../../src/db/schema.ts'
import { textOf } from '../support/browserish.ts'
import { call, expectError, registerProvider, type TestProvider } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

async function providerId(db: Db, provider: TestProvider) {
  const row = await db
    .selectFrom('providers')
    .select('id')
    .where('name', '=', provider.name)
    .executeTakeFirstOrThrow()
  return row.id
}

/** `count` entries a second apart, oldest first, straight into the log. */
async function fill(db: Db, id: string, count: number, start = Date.parse('2026-03-01T01:00:00Z')) {
  for (let i = 0; i < count; i++) {
    await recordAudit(db, {
      actor: { type: 'key', id: null, label: 'ck_test_abcdefghijkl' },
      providerId: id,
      livemode: i % 2 === 0,
      action: i % 3 === 0 ? 'rule.updated' : 'key.created',
      target: `t-${i}`,
      before: { n: i - 1 },
      after: { n: i },
      at: new Date(start + i * 1000),
    })
  }
}

describe('console activity', () => {
  test('lists changes newest first, in words, with who and before → after', async ({
    harness,
    db,
  }) => {
    const { browser, email, provider } = await ownerOf(harness.app)
    const id = await providerId(db, provider)
    await recordAudit(db, {
      actor: { type: 'member', id: null, label: email },
      providerId: id,
      livemode: true,
      action: 'rule.updated',
      target: 'version 2',
      before: { points: 100, cash: '1.00', fee: '0.00' },
      after: { points: 100, cash: '1.50', fee: '0.00' },
      at: new Date('2026-03-02T00:00:00Z'),
    })
    await recordAudit(db, {
      actor: { type: 'operator', id: null, label: 'operator' },
      providerId: id,
      action: 'something.new_here',
      at: new Date('2026-03-03T00:00:00Z'),
    })
    const page = await browser.open('/console/activity')
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    // An action without words shows as it is named, once.
    expect(text.match(/something\.new_here/g)).toHaveLength(1)
    const newest = text.indexOf('something.new_here')
    const rule = text.indexOf('Changed the rule')
    const joined = text.indexOf('Joined the team')
    expect(newest).toBeGreaterThan(-1)
    expect(newest).toBeLessThan(rule)
    expect(rule).toBeLessThan(joined)
    expect(text).toContain('Operator')
    expect(text).toContain('cash: 1.00 → changed to 1.50')
    // Unchanged fields are left out; the mode shows where the entry has one.
    expect(text).not.toContain('points: 100')
    expect(page.html).toMatch(/class="badge live">Live</)
    expect(text).toContain(`${email} Joined the team`)
  })

  test('filters by kind of change and pages with a cursor', async ({ harness, db }) => {
    const { browser, provider } = await ownerOf(harness.app)
    const id = await providerId(db, provider)
    await fill(db, id, 60)
    const first = await browser.open('/console/activity')
    expect((first.html.match(/<tr>/g) ?? []).length).toBe(51)
    const older = /href="(\/console\/activity\?cursor=[^"]+)"/.exec(first.html)?.[1]
    expect(older).toBeDefined()
    const second = await browser.open((older ?? '').replace(/&amp;/g, '&'))
    expect(second.status).toBe(200)
    // 60 filled, plus the owner joining and the setup link (made at registration).
    expect((second.html.match(/<tr>/g) ?? []).length).toBe(1 + 12)
    expect(textOf(second.html)).toContain('Newest entries')
    expect(second.html).not.toContain('Older entries')

    const rules = textOf((await browser.open('/console/activity?show=rule')).html)
    expect(rules).toContain('Changed the rule')
    expect(rules).not.toContain('Created an API key')
    const team = textOf((await browser.open('/console/activity?show=member')).html)
    expect(team).toContain('Joined the team')
    expect(team).toContain('Made a console setup link')
    expect(team).not.toContain('Changed the rule')
  })

  test('a page link that is not one of ours says so', async ({ harness }) => {
    const { browser } = await ownerOf(harness.app)
    const res = await browser.open('/console/activity?cursor=not-a-cursor')
    expect(res.status).toBe(422)
    expect(textOf(res.html)).toContain('That page of the activity log does not exist')
  })

  test('another provider’s entries never show', async ({ harness, db }) => {
    const { browser } = await ownerOf(harness.app)
    const other = await registerProvider(harness.app)
    await fill(db, await providerId(db, other), 3)
    const text = textOf((await browser.open('/console/activity')).html)
    expect(text).not.toContain('Changed the rule')
    expect(text).not.toContain('Created an API key')
  })
})

describe('GET /cashout/audit', () => {
  test('returns the provider’s entries newest first, paged with a cursor', async ({
    harness,
    db,
  }) => {
    const provider = await registerProvider(harness.app)
    const other = await registerProvider(harness.app)
    await fill(db, await providerId(db, provider), 5)
    await fill(db, await providerId(db, other), 2)

    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2'
      const reply = await call(harness.app, 'GET', `/cashout/audit${query}`, { key: provider.key })
      expect(reply.status).toBe(200)
      expect(reply.body.entries.length).toBeLessThanOrEqual(2)
      seen.push(...reply.body.entries.map((e: { id: string }) => e.id))
      cursor = reply.body.next_cursor
      pages += 1
    } while (cursor && pages < 10)
    // 5 filled, and the setup link made when the provider registered.
    expect(seen).toHaveLength(6)
    expect(new Set(seen).size).toBe(6)

    const all = await call(harness.app, 'GET', '/cashout/audit', { key: provider.key })
    expect(all.body.next_cursor).toBeNull()
    expect(all.body.entries.map((e: { id: string }) => e.id)).toEqual(seen)
    const [newest] = all.body.entries
    expect(newest).toEqual({
      id: expect.any(String),
      at: '2026-03-01T01:00:04.000Z',
      actor: { type: 'key', label: 'ck_test_abcdefghijkl' },
      action: 'key.created',
      target: 't-4',
      before: { n: 3 },
      after: { n: 4 },
      livemode: true,
    })
    const setup = all.body.entries.at(-1)
    expect(setup.action).toBe('console.setup_link_created')
    expect(setup.livemode).toBeNull()
  })

  test('filters by action or family, and refuses bad input in the one error shape', async ({
    harness,
    db,
  }) => {
    const provider = await registerProvider(harness.app)
    await fill(db, await providerId(db, provider), 6)
    const get = (query: string) =>
      call(harness.app, 'GET', `/cashout/audit${query}`, { key: provider.key })
    const rules = await get('?action=rule')
    expect(rules.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'rule.updated',
      'rule.updated',
    ])
    expect((await get('?action=key.created')).body.entries).toHaveLength(4)
    expect((await get('?action=key.created_x')).body.entries).toHaveLength(0)
    expect((await get('?action=ke')).body.entries).toHaveLength(0)

    expectError(await call(harness.app, 'GET', '/cashout/audit'), 401, 'unauthorized')
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?limit=abc',
      '?cursor=nope',
      '?action=DROP%20TABLE',
      '?action=a%25',
    ]) {
      expectError(await get(query), 422, 'validation_failed')
    }
  })

  test('is documented in the OpenAPI document', async ({ harness }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const result = await validate(structuredClone(doc))
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
    const op = doc.paths['/cashout/audit']?.get
    expect(op).toBeDefined()
    expect(op.security).toEqual([{ providerKey: [] }])
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'action',
      'cursor',
      'limit',
    ])
    expect(doc.components.schemas.AuditEntry.required).toEqual(
      expect.arrayContaining([
        'id',
        'at',
        'actor',
        'action',
        'target',
        'before',
        'after',
        'livemode',
      ]),
    )
  })
})
