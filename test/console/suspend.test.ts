import { compileErrors, validate } from '@readme/openapi-parser'
import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import type { Db } from '../../src/db/schema.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, expectError, fundedProvider, generate } from '../support/client.ts'
import { ConsoleBrowser } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

async function operatorIn(app: App) {
  const browser = new ConsoleBrowser(app)
  await browser.open('/console/operator/sign-in')
  const signedIn = await browser.submit('/console/operator/sign-in', { token: OPERATOR_TOKEN })
  if (signedIn.status !== 303) throw new Error(`operator sign-in answered ${signedIn.status}`)
  return browser
}

async function actions(db: Db) {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'target'])
    .where('action', 'like', 'provider.%')
    .orderBy('created_at')
    .execute()
  return rows.map((r) => `${r.action} by ${r.actor_type} of ${r.target}`)
}

const operator = (body?: unknown) => ({ key: OPERATOR_TOKEN, body })

describe('suspending a provider', () => {
  test('from the console: generate is refused with provider_suspended until resumed; both audited once', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const p = await fundedProvider(app, 10_000)
    const browser = await operatorIn(app)
    const path = `/console/operator/providers/${p.name}`
    await browser.open(path)

    const noReason = await browser.submit(`${path}/suspend`, { reason: ' ' })
    expect(noReason.status).toBe(422)
    expect(textOf(noReason.html)).toContain('Reason: Must be at least 5 characters.')
    expect((await generate(app, p, { amount: 100, id: 'still-fine' })).status).toBe(200)

    const suspended = await browser.submit(`${path}/suspend`, { reason: 'Unpaid invoice 42' })
    expect(suspended.status).toBe(200)
    const text = textOf(suspended.html)
    expect(text).toContain(`${p.name} is suspended`)
    expect(text).toContain('Unpaid invoice 42')
    const refused = await generate(app, p, { amount: 100, id: 'after' })
    expectError(refused, 403, 'provider_suspended')
    // A repeat of a claim made before still answers: it makes nothing new.
    expect((await generate(app, p, { amount: 100, id: 'still-fine' })).status).toBe(200)

    const list = textOf((await browser.open('/console/operator')).html)
    expect(list).toMatch(new RegExp(`${p.name} Suspended`))

    // The same form again (a reload) changes nothing.
    await browser.open(path)
    const again = await browser.submit(`${path}/suspend`, { reason: 'Another reason' })
    expect(textOf(again.html)).toContain('already suspended; nothing changed')
    expect(textOf(again.html)).toContain('Unpaid invoice 42')

    const resumed = await browser.submit(`${path}/resume`, { reason: '' })
    expect(resumed.status).toBe(200)
    expect(textOf(resumed.html)).toContain(`${p.name} is active again`)
    expect((await generate(app, p, { amount: 100, id: 'after' })).status).toBe(200)

    expect(await actions(db)).toEqual([
      `provider.suspended by operator of ${p.name}`,
      `provider.resumed by operator of ${p.name}`,
    ])
    const activity = textOf((await browser.open('/console/operator/activity')).html)
    expect(activity).toContain('Provider suspended')
    expect(activity).toContain('Provider resumed')
  })

  test('through the API: operator token only, strict bodies, idempotent, audited', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const p = await fundedProvider(app, 10_000)
    const path = `/operator/providers/${p.name}`

    expectError(
      await call(app, 'POST', `${path}/suspend`, { key: p.key, body: { reason: 'by myself' } }),
      401,
      'unauthorized',
    )
    expectError(
      await call(app, 'POST', `${path}/suspend`, operator({ reason: 'Fraud review', extra: 1 })),
      422,
      'validation_failed',
    )
    expectError(await call(app, 'POST', `${path}/suspend`, operator({})), 422, 'validation_failed')
    expectError(
      await call(app, 'POST', '/operator/providers/nobody/suspend', operator({ reason: 'who?!' })),
      404,
      'not_found',
    )

    const first = await call(app, 'POST', `${path}/suspend`, operator({ reason: 'Fraud review' }))
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      name: p.name,
      suspended: true,
      reason: 'Fraud review',
      changed: true,
      suspended_at: expect.any(String),
    })
    const second = await call(app, 'POST', `${path}/suspend`, operator({ reason: 'Other' }))
    expect(second.status).toBe(200)
    expect(second.body).toMatchObject({ suspended: true, reason: 'Fraud review', changed: false })
    expect(second.body.suspended_at).toBe(first.body.suspended_at)
    expectError(await generate(app, p, { amount: 100, id: 'x' }), 403, 'provider_suspended')

    expectError(
      await call(app, 'POST', `${path}/resume`, operator({ note: 'typo' })),
      422,
      'validation_failed',
    )
    const resumed = await call(app, 'POST', `${path}/resume`, { key: OPERATOR_TOKEN })
    expect(resumed.status).toBe(200)
    expect(resumed.body).toMatchObject({ suspended: false, reason: null, changed: true })
    const idle = await call(app, 'POST', `${path}/resume`, operator({ reason: 'Cleared' }))
    expect(idle.body).toMatchObject({ suspended: false, changed: false })
    expect((await generate(app, p, { amount: 100, id: 'x' })).status).toBe(200)

    expect(await actions(db)).toEqual([
      `provider.suspended by operator of ${p.name}`,
      `provider.resumed by operator of ${p.name}`,
    ])
  })

  test('an open claim page of a suspended provider says the link is unavailable', async ({
    harness,
  }) => {
    const { app } = harness
    const p = await fundedProvider(app, 10_000)
    const claim = (await generate(app, p, { amount: 100, id: 'open-one' })).body
    const path = new URL(claim.url).pathname
    expect((await app.request(path)).status).toBe(200)
    await call(app, 'POST', `/operator/providers/${p.name}/suspend`, operator({ reason: 'Paused' }))
    const page = await app.request(path)
    expect(page.status).toBe(404)
    await call(app, 'POST', `/operator/providers/${p.name}/resume`, operator())
    expect((await app.request(path)).status).toBe(200)
  })

  test('suspend and resume are documented as operator routes with strict bodies', async ({
    harness,
  }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const result = await validate(structuredClone(doc))
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
    for (const verb of ['suspend', 'resume']) {
      const op = doc.paths[`/operator/providers/{name}/${verb}`]?.post
      expect(op, verb).toBeDefined()
      expect(op.security).toEqual([{ operatorToken: [] }])
      expect(op.responses['200']).toBeDefined()
    }
    expect(doc.components.schemas.SuspendRequest).toMatchObject({
      required: ['reason'],
      additionalProperties: false,
    })
    expect(doc.components.schemas.ResumeRequest.additionalProperties).toBe(false)
  })
})
