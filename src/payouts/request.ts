import type { Vault } from '../crypto/vault.ts'
import type { Destination } from './destination.ts'

/**
 * The secret half of a payout's rail request, sealed once at submit: where the money goes and
 * the random token the rail must send back. Retries open it and send the same request.
 */
export interface SealedRequest {
  destination: Destination
  callbackToken: string
}

export async function sealRequest(vault: Vault, request: SealedRequest): Promise<string> {
  return (await vault.seal(JSON.stringify(request))).jwe
}

export async function openRequest(vault: Vault, jwe: string): Promise<SealedRequest> {
  return JSON.parse(await vault.open(jwe)) as SealedRequest
}
