import type { AppDeps } from '../deps.ts'
import { sealCard } from './card-vault.ts'
import { cardAndEndpointProblems } from './checks.ts'
import { type ProviderChanges, updateProvider } from './repository.ts'

export interface ProfileInput {
  endpoint?: string
  card?: { pan: string; expDate: string }
}

/** Changes the webhook endpoint and/or the card under the same rules as registration. */
export async function updateProfile({
  deps,
  providerId,
  input,
}: {
  deps: Pick<AppDeps, 'db' | 'vault' | 'clock' | 'config' | 'webhooks'>
  providerId: string
  input: ProfileInput
}) {
  const checked = await cardAndEndpointProblems(deps, {
    expDate: input.card?.expDate,
    endpoint: input.endpoint,
  })
  const changes: ProviderChanges = { endpoint: checked.endpoint }
  if (input.card) changes.card = await sealCard(deps.vault, input.card.pan, input.card.expDate)
  return updateProvider(deps.db, providerId, changes, deps.clock.now())
}
