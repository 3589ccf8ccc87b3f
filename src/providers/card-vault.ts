import type { Vault } from '../crypto/vault.ts'

export interface SealedCard {
  jwe: string
  keyId: string
  panHmac: string
  last4: string
}

/**
 * Encrypts PAN and expiry together; keeps a keyed hash to find the same card elsewhere and the
 * last four digits to show. The PAN leaves this function only inside the JWE.
 */
export async function sealCard(vault: Vault, pan: string, expDate: string): Promise<SealedCard> {
  const sealed = await vault.seal(JSON.stringify({ pan, exp: expDate }))
  return {
    jwe: sealed.jwe,
    keyId: sealed.kid,
    panHmac: await vault.hmac(pan),
    last4: pan.slice(-4),
  }
}
