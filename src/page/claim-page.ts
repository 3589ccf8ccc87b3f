import { sql } from 'kysely'
import type { FieldValues, OfferModel, ReviewModel, StatusModel } from '../../views/claim/model.ts'
import { getClaim, UUID } from '../claims/read.ts'
import type { Claim, Db, Payout } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { type Destination, formatBsb, maskAccountNumber } from '../payouts/destination.ts'
import { waitingReason } from '../payouts/waiting.ts'
import { type Appearance, accentStylesheetPath, contactLink } from '../providers/appearance.ts'
import { plainName } from '../providers/names.ts'
import { displayMoney, displayPoints, displayTime } from './format.ts'

/** Whether a path segment could be a claim's link at all. */
export const isClaimLink = (uuid: string) => UUID.test(uuid)

/** What the page shows of a claim's latest payout. */
export type PagePayout = Pick<Payout, 'status' | 'waiting_on' | 'destination_masked' | 'updated_at'>

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
            .select(['status', 'waiting_on', 'destination_masked', 'updated_at'])
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
          },
  }
}

/** `acme-rewards` → `Acme Rewards`: the provider's name as a customer reads it. */
export const displayName = plainName

export function offerModel(data: ClaimPageData, timeZone: string): OfferModel {
  const { claim, appearance } = data
  return {
    testMode: !claim.livemode,
    provider: appearance.display_name ?? displayName(data.provider),
    support: appearance.support_contact ? contactLink(appearance.support_contact) : undefined,
    theme: appearance.accent_colour
      ? accentStylesheetPath(appearance.providerId, appearance.accent_colour)
      : undefined,
    cash: displayMoney(claim.net_minor, claim.currency),
    points: displayPoints(claim.points),
    fee:
      claim.fee_payer === 'customer' && claim.fee_minor > 0n
        ? displayMoney(claim.fee_minor, claim.currency)
        : undefined,
    expires: claim.status === 'open' ? displayTime(claim.expires_at, timeZone) : undefined,
  }
}

function describeMasked(masked: Record<string, string> | undefined): string {
  if (!masked) return 'your account'
  if (masked.type === 'bank') return `the account ${masked.bsb} ${masked.account_number}`
  return masked.payid ?? 'your PayID'
}

export function statusModel(data: ClaimPageData, timeZone: string, pollUrl: string): StatusModel {
  const { claim, payout } = data
  const destination = describeMasked(payout?.destination_masked)
  switch (claim.status) {
    case 'settled':
      return {
        state: 'paid',
        destination,
        at: displayTime(payout?.updated_at ?? claim.updated_at, timeZone),
      }
    case 'failed':
      return { state: 'failed', reason: claim.status_reason ?? undefined }
    case 'expired':
      return { state: 'expired', reason: 'The link was not used in time.' }
    case 'cancelled':
      return { state: 'cancelled', reason: 'The program that sent the link cancelled it.' }
    default:
      return {
        state: 'processing',
        destination,
        delay: waitingReason(payout, 'customer'),
        pollUrl,
        pageUrl: `/c/${claim.id}`,
      }
  }
}

const PAYID_LABELS: Record<string, string> = {
  email: 'Email address',
  mobile: 'Mobile number',
  abn: 'ABN',
  org_id: 'Organisation ID',
}

/** What the customer checks before confirming, and the fields that carry it to the confirm. */
export function reviewModel(
  destination: Destination,
  cash: string,
  action: string,
  csrf: string,
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
          { label: 'Account name', value: destination.account_name },
          { label: 'BSB', value: formatBsb(destination.bsb) },
          { label: 'Account number', value: maskAccountNumber(destination.account_number) },
        ]
      : [
          {
            label: 'PayID type',
            value: PAYID_LABELS[destination.payid_type] ?? destination.payid_type,
          },
          { label: 'PayID', value: destination.payid },
        ]
  return { action, csrf, values, lines: [...lines, { label: 'You receive', value: cash }] }
}
