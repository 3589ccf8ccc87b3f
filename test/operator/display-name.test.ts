import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { displayName } from '../../src/page/claim-page.ts'
import { providerCache } from '../../src/providers/cache.ts'
import { profileView } from '../../src/providers/profile.ts'
import { findProviderById } from '../../src/providers/repository.ts'
import { buildTestApp, OPERATOR_TOKEN } from '../support/app.ts'
import { call, expectError, registerProvider, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { askFor, decide, freshClaimPage, providerIdOf } from '../support/reviews.ts'

const WANTED = 'Acme Rewards Club'

/** The name a fresh claim's page shows for the provider. */
async function shownOnClaimPage(app: App, provider: TestProvider) {
  return /<p class="provider"><bdi>([^<]*)<\/bdi><\/p>/.exec(
    await freshClaimPage(app, provider),
  )?.[1]
}

const setDisplayName = (app: App, provider: TestProvider, display_name: string | null) =>
  askFor(app, provider, { display_name })

const review = (app: App, name: string, body: Record<string, unknown>) =>
  decide(app, name, 'display-name', body)

describe('a display name waits for the operator', () => {
  test('the claim page shows the plain name until the operator approves; then the name', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const plain = displayName(provider.name)
    await setDisplayName(app, provider, WANTED)
    expect(await shownOnClaimPage(app, provider)).toBe(plain)

    const queue = await call(app, 'GET', '/operator/display-names', { key: OPERATOR_TOKEN })
    expect(queue.status).toBe(200)
    expect(queue.body.data).toEqual([
      expect.objectContaining({
        name: provider.name,
        status: 'pending',
        requested: WANTED,
        approved: null,
        shown: plain,
      }),
    ])
    const detail = await call(app, 'GET', `/operator/providers/${provider.name}`, {
      key: OPERATOR_TOKEN,
    })
    expect(detail.status).toBe(200)
    expect(detail.body.display_name).toMatchObject({ status: 'pending', requested: WANTED })

    const approved = await review(app, provider.name, { approve: true, display_name: WANTED })
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({
      name: provider.name,
      status: 'approved',
      requested: WANTED,
      approved: WANTED,
      shown: WANTED,
      changed: true,
    })
    expect(await shownOnClaimPage(app, provider)).toBe(WANTED)
    const again = await review(app, provider.name, { approve: true, display_name: WANTED })
    expect(again.body).toMatchObject({ status: 'approved', changed: false })

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'display_name.%')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      provider_id: await providerIdOf(db, provider.name),
      actor_type: 'operator',
      action: 'display_name.approved',
      target: provider.name,
      before: { approved: null },
      after: { approved: WANTED },
    })
    const empty = await call(app, 'GET', '/operator/display-names', { key: OPERATOR_TOKEN })
    expect(empty.body.data).toEqual([])
  })

  test('a rejection needs a reason, keeps the plain name, and is audited; it also withdraws an approval', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const plain = displayName(provider.name)
    await setDisplayName(app, provider, 'Commonwealth Rewards')
    const noReason = await review(app, provider.name, {
      approve: false,
      display_name: 'Commonwealth Rewards',
    })
    expectError(noReason, 422, 'validation_failed')
    expect(noReason.body.details.map((d: { field: string }) => d.field)).toContain('reason')

    const rejected = await review(app, provider.name, {
      approve: false,
      display_name: 'Commonwealth Rewards',
      reason: 'Reads as a bank',
    })
    expect(rejected.status).toBe(200)
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      approved: null,
      shown: plain,
      rejected_reason: 'Reads as a bank',
      changed: true,
    })
    expect(await shownOnClaimPage(app, provider)).toBe(plain)
    const queue = await call(app, 'GET', '/operator/display-names', { key: OPERATOR_TOKEN })
    expect(queue.body.data).toEqual([])

    // A new request clears the rejection and waits again; an approval can be withdrawn.
    await setDisplayName(app, provider, WANTED)
    await review(app, provider.name, { approve: true, display_name: WANTED })
    const withdrawn = await review(app, provider.name, {
      approve: false,
      display_name: WANTED,
      reason: 'Complaint from a customer',
    })
    expect(withdrawn.body).toMatchObject({ status: 'rejected', approved: null, shown: plain })
    expect(await shownOnClaimPage(app, provider)).toBe(plain)
    const actions = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', 'like', 'display_name.%')
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action).sort()).toEqual([
      'display_name.approved',
      'display_name.rejected',
      'display_name.rejected',
    ])
    expect(actions.map((a) => a.after)).toContainEqual({
      approved: null,
      rejected: 'Commonwealth Rewards',
      reason: 'Reads as a bank',
    })
  })

  test('approving a name the provider has since changed approves nothing', async ({ harness }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    await setDisplayName(app, provider, WANTED)
    await setDisplayName(app, provider, 'Westpac Rewards')
    const stale = await review(app, provider.name, { approve: true, display_name: WANTED })
    expectError(stale, 422, 'validation_failed')
    const detail = stale.body.details.find((d: { field: string }) => d.field === 'display_name')
    expect(detail.message).toContain('Westpac Rewards')
    expect(await shownOnClaimPage(app, provider)).toBe(displayName(provider.name))

    const none = await registerProvider(app)
    const nothing = await review(app, none.name, { approve: true, display_name: WANTED })
    expectError(nothing, 422, 'validation_failed')
    const unknown = await review(app, 'no-such-provider', { approve: true, display_name: WANTED })
    expectError(unknown, 404, 'not_found')
    const anonymous = await call(app, 'POST', `/operator/providers/${provider.name}/display-name`, {
      body: { approve: true, display_name: 'Westpac Rewards' },
    })
    expect(anonymous.status).toBe(401)
  })

  test('a new request waits while the approved name stays shown; clearing shows the plain name', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    await setDisplayName(app, provider, WANTED)
    await review(app, provider.name, { approve: true, display_name: WANTED })
    await setDisplayName(app, provider, 'Acme Rewards Club Gold')
    expect(await shownOnClaimPage(app, provider)).toBe(WANTED)
    // Back to the approved name: nothing to review.
    await setDisplayName(app, provider, WANTED)
    const queue = await call(app, 'GET', '/operator/display-names', { key: OPERATOR_TOKEN })
    expect(queue.body.data).toEqual([])
    await setDisplayName(app, provider, null)
    expect(await shownOnClaimPage(app, provider)).toBe(displayName(provider.name))
    await setDisplayName(app, provider, WANTED)
    expect(await shownOnClaimPage(app, provider)).toBe(displayName(provider.name))
  })

  test('the plain name itself, in any case, needs no approval', async ({ harness }) => {
    const { app } = harness
    const provider = await registerProvider(app, { name: 'acme-rewards' })
    await setDisplayName(app, provider, 'ACME Rewards')
    expect(await shownOnClaimPage(app, provider)).toBe('ACME Rewards')
    const queue = await call(app, 'GET', '/operator/display-names', { key: OPERATOR_TOKEN })
    expect(queue.body.data).toEqual([])
  })

  test('a review forgets the provider’s cached claim context', async ({ db }) => {
    const cache = providerCache()
    const forgotten: string[] = []
    const { app } = buildTestApp(db, {
      cache: {
        ...cache,
        forgetProvider: (id) => {
          forgotten.push(id)
          cache.forgetProvider(id)
        },
      },
    })
    const provider = await registerProvider(app)
    await setDisplayName(app, provider, WANTED)
    forgotten.length = 0
    await review(app, provider.name, { approve: true, display_name: WANTED })
    expect(forgotten).toContain(await providerIdOf(db, provider.name))
  })

  test('the provider’s profile shows the name it asked for and the one approved', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const id = await providerIdOf(db, provider.name)
    expect(profileView(await findProviderById(db, id))).toMatchObject({
      display_name: null,
      display_name_status: 'none',
      display_name_approved: null,
    })
    await setDisplayName(app, provider, WANTED)
    expect(profileView(await findProviderById(db, id))).toMatchObject({
      display_name: WANTED,
      display_name_status: 'pending',
      display_name_approved: null,
      display_name_rejected_reason: null,
    })
    await review(app, provider.name, { approve: false, display_name: WANTED, reason: 'Too long' })
    expect(profileView(await findProviderById(db, id))).toMatchObject({
      display_name: WANTED,
      display_name_status: 'rejected',
      display_name_rejected_reason: 'Too long',
    })
  })
})

describe('a card shared between providers', () => {
  test('the operator’s view of a provider names the others holding its card, never the card', async ({
    harness,
  }) => {
    const { app } = harness
    const pan = '4000001234567899'
    const first = await registerProvider(app, { pan })
    const second = await registerProvider(app, { pan })
    const alone = await registerProvider(app, { pan: '6392110000000000002' })
    const view = await call(app, 'GET', `/operator/providers/${first.name}`, {
      key: OPERATOR_TOKEN,
    })
    expect(view.status).toBe(200)
    expect(view.body).toMatchObject({
      name: first.name,
      card: { last4: '7899', shared_with: [second.name], shared_with_count: 1 },
    })
    expect(JSON.stringify(view.body)).not.toContain(pan)
    expect(JSON.stringify(view.body)).not.toMatch(/hmac/i)
    const lone = await call(app, 'GET', `/operator/providers/${alone.name}`, {
      key: OPERATOR_TOKEN,
    })
    expect(lone.body.card).toEqual({ last4: '0002', shared_with: [], shared_with_count: 0 })
    const unknown = await call(app, 'GET', '/operator/providers/no-such-provider', {
      key: OPERATOR_TOKEN,
    })
    expectError(unknown, 404, 'not_found')
  })
})
