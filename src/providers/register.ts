import { issueLink } from '../console/links.ts'
import { randomBytes, toBase64 } from '../crypto/bytes.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { mintApiKey } from '../keys/api-key.ts'
import { insertApiKey } from '../keys/repository.ts'
import { openProviderAccounts } from '../ledger/accounts.ts'
import { MODES } from '../modes.ts'
import { DEFAULT_RULE, insertRuleVersion } from '../rules/repository.ts'
import { sealCard } from './card-vault.ts'
import { cardAndEndpointProblems } from './checks.ts'
import { countOtherProvidersWithCard, insertProvider } from './repository.ts'

export interface RegisterInput {
  name: string
  pan: string
  expDate: string
  /** Checked here with the card, then dropped with the request: PCI DSS forbids keeping it. */
  ipin: string
  endpoint: string
}

type Deps = Pick<AppDeps, 'db' | 'vault' | 'clock' | 'config' | 'logger' | 'webhooks'>

/**
 * Registers a provider with its card, a test key (and a live key where a live rail is
 * configured), the default rule (1 point = 1 cent) and empty floats in each mode, all in one
 * transaction. The keys and webhook secret are returned this once.
 */
export async function registerProvider({ deps, input }: { deps: Deps; input: RegisterInput }) {
  const { endpoint = input.endpoint } = await cardAndEndpointProblems(deps, input)
  const now = deps.clock.now()
  const card = await sealCard(deps.vault, input.pan, input.expDate)
  const webhookSecret = `whsec_${toBase64(randomBytes(32))}`
  const sealedSecret = await deps.vault.seal(webhookSecret)
  const testKey = await mintApiKey(false)
  const liveKey = deps.config.liveRail ? await mintApiKey(true) : undefined

  const { provider, keyIds, sharedCard, setupLink } = await withTx(deps.db, async (tx) => {
    const provider = await insertProvider(tx, {
      name: input.name,
      endpoint,
      cardJwe: card.jwe,
      cardKeyId: card.keyId,
      cardPanHmac: card.panHmac,
      cardLast4: card.last4,
      webhookSecretJwe: sealedSecret.jwe,
      now,
    })
    if (!provider) {
      throw new DomainError('item_exists', {
        message: `The name ${input.name} is already registered; choose another.`,
      })
    }
    const keyIds: string[] = []
    for (const key of liveKey ? [testKey, liveKey] : [testKey]) {
      const row = await insertApiKey(tx, {
        providerId: provider.id,
        prefix: key.prefix,
        secretSha256: key.secretSha256,
        livemode: key.livemode,
        label: 'first key',
        now,
      })
      keyIds.push(row.id)
    }
    for (const livemode of MODES) {
      await insertRuleVersion(tx, { providerId: provider.id, livemode }, DEFAULT_RULE, now)
    }
    await openProviderAccounts(tx, provider.id, DEFAULT_RULE.currency)
    const sharedCard = await countOtherProvidersWithCard(tx, card.panHmac, provider.id)
    // The first owner of the console comes from this link; nobody else is ever told it.
    const setupLink = await issueLink(tx, {
      providerId: provider.id,
      kind: 'setup',
      role: 'owner',
      actor: { type: 'key', id: keyIds[0] ?? null, label: 'registration' },
      publicUrl: deps.config.publicUrl,
      now,
    })
    return { provider, keyIds, sharedCard, setupLink }
  })
  if (sharedCard > 0) {
    deps.logger.warn('card already registered to another provider', {
      provider: provider.name,
      other_providers: sharedCard,
    })
  }
  return {
    provider,
    apiKey: { id: keyIds[0] ?? '', token: testKey.token },
    liveApiKey: liveKey ? { id: keyIds[1] ?? '', token: liveKey.token } : undefined,
    webhookSecret,
    setupLink,
  }
}
