import { describe, expect, it } from 'vitest'
import type { Claim } from '../db/schema.ts'
import { type ClaimPageData, failureReason, type PagePayout, statusModel } from './claim-page.ts'
import { translator } from './i18n/catalogue.ts'
import { LOCALES } from './i18n/locales.ts'

const at = new Date('2026-11-28T09:30:00Z')

function page(status: Claim['status'], payout?: Partial<PagePayout>): ClaimPageData {
  const claim = {
    id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    status,
    updated_at: at,
    expires_at: at,
    net_minor: 2500n,
    currency: 'AUD',
  } as Claim
  return {
    claim,
    provider: 'acme',
    appearance: {
      providerId: 'p',
      display_name: null,
      accent_colour: null,
      support_contact: null,
    },
    payout: payout
      ? {
          status: 'failed',
          waiting_on: null,
          destination_masked: {
            type: 'bank',
            account_name: 'Jane Citizen',
            bsb: '062-000',
            account_number: '••••5678',
          },
          updated_at: at,
          failure_code: null,
          failure_field: null,
          ...payout,
        }
      : undefined,
  }
}

describe.each(LOCALES)('what the status says in %s', (locale) => {
  const t = translator(locale)

  it('names the field the rail refused, and whether another account can be tried', () => {
    const refused = { failure_code: 'DESTINATION_REFUSED', failure_field: 'bsb' }
    expect(failureReason(t, page('open', refused).payout, false)).toBe(
      `${t.t('failure.field', { field: t.t('failure.field.bsb') })} ${t.t('failure.retry')}`,
    )
    expect(statusModel(page('failed', refused), 'UTC', '', t).reason).toBe(
      `${t.t('failure.field', { field: t.t('failure.field.bsb') })} ${t.t('failure.final')}`,
    )
  })

  it.each([
    ['ACCOUNT_INVALID', 'failure.bank'],
    ['PAYEE_BLOCKED', 'failure.blocked'],
    ['COMPLIANCE_REVIEW', 'failure.other'],
    [null, 'failure.other'],
  ] as const)('says %s as %s', (code, key) => {
    expect(failureReason(t, page('failed', { failure_code: code }).payout, true)).toBe(
      `${t.t(key)} ${t.t('failure.final')}`,
    )
  })

  it.each([
    'rail_funds',
    'rail_retry',
    'rail_credentials',
    'rail_confirmation',
    'operator',
  ] as const)('explains a payout waiting on %s, and nothing once it is paid', (on) => {
    const waiting = page('submitted', { status: 'sent', waiting_on: on })
    expect(statusModel(waiting, 'UTC', '/poll', t)).toMatchObject({
      state: 'processing',
      delay: t.t(`waiting.${on}`),
      pollUrl: '/poll',
      destination: { kind: 'account', masked: '062-000 ••••5678' },
    })
    const paid = page('settled', { status: 'settled', waiting_on: on })
    expect(statusModel(paid, 'Australia/Sydney', '', t)).toEqual({
      state: 'paid',
      destination: { kind: 'account', masked: '062-000 ••••5678' },
      receipt: {
        at: t.time(at, 'Australia/Sydney'),
        accountName: 'Jane Citizen',
        reference: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      },
    })
  })

  it('says why a lapsed or cancelled claim cannot be used', () => {
    expect(statusModel(page('expired'), 'UTC', '', t).reason).toBe(t.t('status.expired_reason'))
    expect(statusModel(page('cancelled'), 'UTC', '', t).reason).toBe(t.t('status.cancelled_reason'))
  })
})
