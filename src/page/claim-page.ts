import { sql } from 'kysely'
import type {
  DestinationModel,
  FieldValues,
  OfferModel,
  ReviewModel,
  StatusModel,
  StatusState,
} from '../../views/claim/model.ts'
import { getClaim, UUID } from '../claims/read.ts'
import type { Claim, Db, Payout } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { type Destination, formatBsb, maskAccountNumber } from '../payouts/destination.ts'
import type { MaskedDestination } from '../payouts/masked.ts'
import { failureKind } from '../payouts/outcome.ts'
import { DESTINATION_FIELDS, type DestinationField } from '../payouts/rail/classify.ts'
import { waitingOn } from '../payouts/waiting.ts'
import { type Appearance, accentStylesheetPath, contactLink } from '../providers/appearance.ts'
import { plainName } from '../providers/names.ts'
import type { Translator } from './i18n/catalogue.ts'

/** Whether a path segment could be a claim's link at all. */
export const isClaimLink = (uuid: string) => UUID.test(uuid)

/** What the page shows of a claim's latest payout. */
export type PagePayout = Pick<
  Payout,
  'status' | 'waiting_on' | 'destination_masked' | 'updated_at' | 'failure_code' | 'failure_field'
>

export interface ClaimPageData {
  claim: Claim
  provider: string
  /** What the provider chose for its claim page; `display_name` is the approved one. */
  appearance: Appearance & { providerId: string }
  payout: PagePayout | undefined
}

/** A claim with its provider's page settings and its latest payout, as one row. */
export type PageRow = Awaited<ReturnType<typeof pageQuery>>[number]

function pageQuery(db: Db, claimIds: string[]) {
  return (
    db
      .selectFrom('claims')
      .innerJoin('providers', 'providers.id', 'claims.provider_id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('payouts')
            .select([
              'status',
              'waiting_on',
              'destination_masked',
              'updated_at',
              'failure_code',
              'failure_field',
            ])
            .whereRef('payouts.claim_id', '=', 'claims.id')
            .orderBy('attempt', 'desc')
            .limit(1)
            .as('payout'),
        (join) => join.onTrue(),
      )
      .selectAll('claims')
      .select([
        'providers.name as provider_name',
        // Only a display name and support contact the operator approved reach a customer.
        'providers.display_name_approved as display_name',
        'providers.accent_colour',
        'providers.support_contact_approved as support_contact',
        'providers.suspended_at',
        'payout.status as payout_status',
        'payout.waiting_on as payout_waiting_on',
        'payout.destination_masked as payout_destination_masked',
        'payout.updated_at as payout_updated_at',
        'payout.failure_code as payout_failure_code',
        'payout.failure_field as payout_failure_field',
      ])
      // An array built in SQL from JSON, so the lookup stays by primary key on pg and PGlite alike.
      .where(
        sql<boolean>`claims.id = any(array(select json_array_elements_text(${JSON.stringify(claimIds)}::json)::uuid))`,
      )
      .execute()
  )
}

/**
 * The page rows of many claims in one query, in the order asked (undefined where none).
 * Page views that arrive together share it (`groups.pages`), as generates share a write.
 */
export async function readClaimPages(db: Db, claimIds: string[]): Promise<(PageRow | undefined)[]> {
  const rows = await pageQuery(db, claimIds)
  const byId = new Map(rows.map((row) => [row.id, row]))
  return claimIds.map((id) => byId.get(id))
}

/**
 * A claim by its link, with its provider's page settings and its latest payout, in one query;
 * an open claim whose time is up is expired on the spot (a write, then the read again).
 * Undefined for anything that is not a claim's link, and for an open claim of a provider the
 * operator suspended: its link reads as unavailable, like an unknown one, and cannot be cashed
 * out. A claim already under way still shows its status.
 */
export async function loadClaimPage(
  deps: Pick<AppDeps, 'db' | 'clock' | 'groups'>,
  claimId: string,
): Promise<ClaimPageData | undefined> {
  if (!isClaimLink(claimId)) return undefined
  const row = deps.groups
    ? await deps.groups.pages(claimId)
    : (await readClaimPages(deps.db, [claimId]))[0]
  if (!row) return undefined
  const {
    provider_name,
    display_name,
    accent_colour,
    support_contact,
    suspended_at,
    payout_status,
    payout_waiting_on,
    payout_destination_masked,
    payout_updated_at,
    payout_failure_code,
    payout_failure_field,
    ...claim
  } = row
  if (claim.status === 'open' && claim.expires_at <= deps.clock.now()) {
    // Rare: the sweep had not reached it. Expire it, then show it as it now stands.
    await getClaim({ deps, claimId })
    return loadClaimPage(deps, claimId)
  }
  if (suspended_at !== null && claim.status === 'open') return undefined
  return {
    claim,
    provider: provider_name,
    appearance: { providerId: claim.provider_id, display_name, accent_colour, support_contact },
    payout:
      payout_status === null
        ? undefined
        : {
            status: payout_status as Payout['status'],
            waiting_on: payout_waiting_on,
            destination_masked: payout_destination_masked as Payout['destination_masked'],
            updated_at: payout_updated_at as Date,
            failure_code: payout_failure_code,
            failure_field: payout_failure_field,
          },
  }
}

/** `acme-rewards` → `Acme Rewards`: the provider's name as a customer reads it. */
export const displayName = plainName

export function offerModel(data: ClaimPageData, timeZone: string, t: Translator): OfferModel {
  const { claim, appearance } = data
  return {
    testMode: !claim.livemode,
    provider: appearance.display_name ?? displayName(data.provider),
    support: appearance.support_contact ? contactLink(appearance.support_contact) : undefined,
    theme: appearance.accent_colour
      ? accentStylesheetPath(appearance.providerId, appearance.accent_colour)
      : undefined,
    cash: t.money(claim.net_minor, claim.currency),
    points: t.count('points', claim.points),
    fee:
      claim.fee_payer === 'customer' && claim.fee_minor > 0n
        ? t.money(claim.fee_minor, claim.currency)
        : undefined,
    expires: claim.status === 'open' ? t.time(claim.expires_at, timeZone) : undefined,
  }
}

/** The masked destination a payout went to, as the page names it. */
function destinationModel(masked: MaskedDestination | undefined): DestinationModel {
  if (!masked) return undefined
  if (masked.type === 'bank') {
    return { kind: 'account', masked: `${masked.bsb} ${masked.account_number}` }
  }
  return { kind: 'payid', masked: masked.payid }
}

/** A claim's state as the page shows it (and the status poll reports it). */
export function pageState(claim: Pick<Claim, 'status'>): StatusState | 'open' {
  switch (claim.status) {
    case 'open':
      return 'open'
    case 'settled':
      return 'paid'
    case 'failed':
    case 'expired':
    case 'cancelled':
      return claim.status
    default:
      return 'processing'
  }
}

/**
 * Why the last payout failed, in the page's language: what the rail refused, then what happens
 * next (try another account, or the claim has stopped). The same reasons the provider is sent
 * in English (`plainReason`), from the payout's code and the field the rail named.
 */
export function failureReason(
  t: Translator,
  payout: PagePayout | undefined,
  final: boolean,
): string {
  const kind = failureKind(payout?.failure_code ?? null, payout?.failure_field)
  const field = payout?.failure_field
  const base =
    kind === 'field' && field && isDestinationField(field)
      ? t.t('failure.field', { field: t.t(`failure.field.${field}`) })
      : t.t(`failure.${kind === 'field' ? 'other' : kind}`)
  return `${base} ${t.t(final ? 'failure.final' : 'failure.retry')}`
}

const isDestinationField = (field: string): field is DestinationField =>
  (DESTINATION_FIELDS as readonly string[]).includes(field)

export function statusModel(
  data: ClaimPageData,
  timeZone: string,
  pollUrl: string,
  t: Translator,
): StatusModel {
  const { claim, payout } = data
  const destination = destinationModel(payout?.destination_masked)
  const state = pageState(claim)
  switch (state) {
    case 'paid': {
      const masked = payout?.destination_masked
      return {
        state,
        destination,
        receipt: {
          at: t.time(payout?.updated_at ?? claim.updated_at, timeZone),
          accountName: masked?.type === 'bank' ? masked.account_name : undefined,
          reference: claim.id,
        },
      }
    }
    case 'failed':
      return { state, destination, reason: failureReason(t, payout, true) }
    case 'expired':
      return { state, reason: t.t('status.expired_reason') }
    case 'cancelled':
      return { state, reason: t.t('status.cancelled_reason') }
    default: {
      const on = waitingOn(payout)
      return {
        state: 'processing',
        destination,
        delay: on ? t.t(`waiting.${on}`) : undefined,
        pollUrl,
        pageUrl: `/c/${claim.id}`,
      }
    }
  }
}

/** What the customer checks before confirming, and the fields that carry it to the confirm. */
export function reviewModel(
  destination: Destination,
  cash: string,
  form: { action: string; csrf: string },
  t: Translator,
): ReviewModel {
  const values: FieldValues =
    destination.type === 'bank'
      ? {
          type: 'bank',
          account_name: destination.account_name,
          bsb: destination.bsb,
          account_number: destination.account_number,
        }
      : { type: 'payid', payid_type: destination.payid_type, payid: destination.payid }
  const lines =
    destination.type === 'bank'
      ? [
          { label: t.t('form.account_name'), value: destination.account_name, ltr: true },
          { label: t.t('form.bsb'), value: formatBsb(destination.bsb), ltr: true },
          {
            label: t.t('form.account_number'),
            value: maskAccountNumber(destination.account_number),
            ltr: true,
          },
        ]
      : [
          { label: t.t('form.payid_type'), value: t.t(`payid_type.${destination.payid_type}`) },
          { label: t.t('form.payid'), value: destination.payid, ltr: true },
        ]
  return { ...form, values, lines: [...lines, { label: t.t('review.you_receive'), value: cash }] }
}
