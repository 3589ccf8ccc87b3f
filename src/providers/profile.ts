import { type Actor, recordAudit } from '../audit/record.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { type AppearanceChange, applyAppearance, checkAppearance } from './appearance.ts'
import { sealCard } from './card-vault.ts'
import { cardAndEndpointProblems } from './checks.ts'
import {
  lockProvider,
  type ProviderChanges,
  type ProviderRow,
  updateProvider,
} from './repository.ts'
import { reviewState, reviewStatus } from './review.ts'

export interface ProfileInput {
  endpoint?: string
  /** The IPIN is checked with the card and then dropped: it is never stored. */
  card?: { pan: string; expDate: string; ipin: string }
  /** What the claim page shows; null clears a field. */
  appearance?: AppearanceChange
}

/**
 * Changes the webhook endpoint, the card and what the claim page shows, under the same rules as
 * registration, from the API or the console. Each change is in the audit log (the card by its
 * last four digits only), written in the same transaction.
 */
export async function updateProfile({
  deps,
  providerId,
  actor,
  input,
}: {
  deps: Pick<AppDeps, 'db' | 'vault' | 'clock' | 'config' | 'webhooks'>
  providerId: string
  actor: Actor
  input: ProfileInput
}) {
  const checked = await cardAndEndpointProblems(deps, {
    pan: input.card?.pan,
    expDate: input.card?.expDate,
    ipin: input.card?.ipin,
    endpoint: input.endpoint,
  })
  const wanted = Object.values(input.appearance ?? {}).some((v) => v !== undefined)
  const appearance = wanted && input.appearance ? checkAppearance(input.appearance) : undefined
  const changes: ProviderChanges = { endpoint: checked.endpoint }
  if (input.card) changes.card = await sealCard(deps.vault, input.card.pan, input.card.expDate)
  const now = deps.clock.now()
  return withTx(deps.db, async (tx) => {
    const before = await lockProvider(tx, providerId)
    if (appearance) await applyAppearance(tx, { providerId, actor, change: appearance, now })
    const after = await updateProvider(tx, providerId, changes, now)
    if (changes.endpoint !== undefined) {
      // Saving the endpoint, even unchanged, turns deliveries back on: that is a change too.
      await recordAudit(tx, {
        actor,
        providerId,
        action: 'webhook.endpoint_changed',
        target: after.endpoint,
        before: { endpoint: before.endpoint, enabled: before.webhook_disabled_at === null },
        after: { endpoint: after.endpoint, enabled: true },
        at: now,
      })
    }
    if (changes.card) {
      await recordAudit(tx, {
        actor,
        providerId,
        action: 'card.changed',
        target: `card ending ${after.card_last4}`,
        before: { card_last4: before.card_last4 },
        after: { card_last4: after.card_last4 },
        at: now,
      })
    }
    return after
  })
}

/**
 * The profile as the API shows it (the `Profile` schema): the display name and support contact
 * asked for beside the ones approved, which are what the claim page shows.
 */
export function profileView(p: ProviderRow) {
  return {
    name: p.name,
    endpoint: p.endpoint,
    card_last4: p.card_last4,
    display_name: p.display_name,
    display_name_status: reviewStatus(reviewState(p, 'display_name')),
    display_name_approved: p.display_name_approved,
    display_name_rejected_reason: p.display_name_rejected_reason,
    accent_colour: p.accent_colour,
    support_contact: p.support_contact,
    support_contact_status: reviewStatus(reviewState(p, 'support_contact')),
    support_contact_approved: p.support_contact_approved,
    support_contact_rejected_reason: p.support_contact_rejected_reason,
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
  }
}
