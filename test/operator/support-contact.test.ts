import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { profileView } from '../../src/providers/profile.ts'
import { findProviderById } from '../../src/providers/repository.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, expectError, registerProvider, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { askFor, decide, freshClaimPage, providerIdOf } from '../support/reviews.ts'

// A link a customer would follow from a payout page: the operator looks at it first.
const WANTED = 'https://help.acme.example/cashout'

/** The "Need help?" line a fresh claim's page shows, if any. */
async function helpOnClaimPage(app: App, provider: TestProvider) {
  return /Need help\? (\S+)/.exec(textOf(await freshClaimPage(app, provider)))?.[1]
}

const setContact = (app: App, provider: TestProvider, support_contact: string | null) =>
  askFor(app, provider, { support_contact })

const review = (app: App, name: string, body: Record<string, unknown>) =>
  decide(app, name, 'support-contact', body)

async function queue(app: App) {
  const reply = await call(app, 'GET', '/operator/support-contacts', { key: OPERATOR_TOKEN })
  expect(reply.status).toBe(200)
  return reply.body.data
}

describe('a support contact waits for the operator', () => {
  test('the claim page shows no contact until the operator approves it; then the contact', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    await setContact(app, provider, WANTED)
    expect(await helpOnClaimPage(app, provider)).toBeUndefined()
    expect(await queue(app)).toEqual([
      expect.objectContaining({
        name: provider.name,
        status: 'pending',
        requested: WANTED,
        approved: null,
        shown: null,
      }),
    ])
    const detail = await call(app, 'GET', `/operator/providers/${provider.name}`, {
      key: OPERATOR_TOKEN,
    })
    expect(detail.body.support_contact).toMatchObject({ status: 'pending', requested: WANTED })

    const approved = await review(app, provider.name, { approve: true, support_contact: WANTED })
    expect(approved.status).toBe(200)
    expect(approved.body).toMatchObject({
      status: 'approved',
      approved: WANTED,
      shown: WANTED,
      changed: true,
    })
    expect(await helpOnClaimPage(app, provider)).toBe(WANTED)
    const again = await review(app, provider.name, { approve: true, support_contact: WANTED })
    expect(again.body).toMatchObject({ status: 'approved', changed: false })
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'support_contact.%')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      provider_id: await providerIdOf(db, provider.name),
      actor_type: 'operator',
      action: 'support_contact.approved',
      before: { approved: null },
      after: { approved: WANTED },
    })
    expect(await queue(app)).toEqual([])
  })

  test('a rejection needs a reason and withdraws an approval; a new contact waits while the approved one shows', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    await setContact(app, provider, 'help@acme.example')
    await review(app, provider.name, { approve: true, support_contact: 'help@acme.example' })
    await setContact(app, provider, 'https://acme-rewards-login.example/verify')
    expect(await helpOnClaimPage(app, provider)).toBe('help@acme.example')

    const noReason = await review(app, provider.name, {
      approve: false,
      support_contact: 'https://acme-rewards-login.example/verify',
    })
    expectError(noReason, 422, 'validation_failed')
    const rejected = await review(app, provider.name, {
      approve: false,
      support_contact: 'https://acme-rewards-login.example/verify',
      reason: 'Asks customers to sign in elsewhere',
    })
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      approved: 'help@acme.example',
      shown: 'help@acme.example',
      rejected_reason: 'Asks customers to sign in elsewhere',
    })
    expect(await helpOnClaimPage(app, provider)).toBe('help@acme.example')
    const profile = await call(app, 'GET', '/cashout/profile', { key: provider.key })
    expect(profile.body).toMatchObject({
      support_contact: 'https://acme-rewards-login.example/verify',
      support_contact_status: 'rejected',
      support_contact_approved: 'help@acme.example',
      support_contact_rejected_reason: 'Asks customers to sign in elsewhere',
    })

    // Back to the approved contact: nothing to review. Then withdraw it.
    await setContact(app, provider, 'help@acme.example')
    expect(await queue(app)).toEqual([])
    const withdrawn = await review(app, provider.name, {
      approve: false,
      support_contact: 'help@acme.example',
      reason: 'Mailbox no longer answered',
    })
    expect(withdrawn.body).toMatchObject({ status: 'rejected', approved: null, shown: null })
    expect(await helpOnClaimPage(app, provider)).toBeUndefined()
  })

  test('clearing the contact clears its approval; asking again waits again', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const id = await providerIdOf(db, provider.name)
    expect(profileView(await findProviderById(db, id))).toMatchObject({
      support_contact: null,
      support_contact_status: 'none',
      support_contact_approved: null,
    })
    await setContact(app, provider, '1300 123 456')
    await review(app, provider.name, { approve: true, support_contact: '1300 123 456' })
    await setContact(app, provider, null)
    expect(await helpOnClaimPage(app, provider)).toBeUndefined()
    expect(profileView(await findProviderById(db, id))).toMatchObject({
      support_contact_status: 'none',
      support_contact_approved: null,
    })
    await setContact(app, provider, '1300 123 456')
    expect(await helpOnClaimPage(app, provider)).toBeUndefined()
    expect(profileView(await findProviderById(db, id))).toMatchObject({
      support_contact_status: 'pending',
    })
  })

  test('a review of a contact the provider has since changed decides nothing', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    await setContact(app, provider, WANTED)
    await setContact(app, provider, 'https://evil.example/login')
    const stale = await review(app, provider.name, { approve: true, support_contact: WANTED })
    expectError(stale, 422, 'validation_failed')
    const detail = stale.body.details.find((d: { field: string }) => d.field === 'support_contact')
    expect(detail.message).toContain('https://evil.example/login')
    expect(await helpOnClaimPage(app, provider)).toBeUndefined()

    const none = await registerProvider(app)
    expectError(
      await review(app, none.name, { approve: true, support_contact: WANTED }),
      422,
      'validation_failed',
    )
    expectError(
      await review(app, 'no-such-provider', { approve: true, support_contact: WANTED }),
      404,
      'not_found',
    )
    const anonymous = await call(
      app,
      'POST',
      `/operator/providers/${provider.name}/support-contact`,
      { body: { approve: true, support_contact: WANTED } },
    )
    expect(anonymous.status).toBe(401)
  })
})
