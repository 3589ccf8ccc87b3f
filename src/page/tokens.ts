import { constantTimeEqual } from '../crypto/bytes.ts'
import type { Vault } from '../crypto/vault.ts'

/**
 * The form's anti-forgery token: an HMAC of the claim and of a random cookie, so a form is good
 * only for this claim, in the browser that holds the cookie.
 */
export function csrfToken(vault: Vault, claimId: string, cookie: string): Promise<string> {
  return vault.hmac(`claim-csrf:${claimId}:${cookie}`)
}

export async function csrfValid(
  vault: Vault,
  claimId: string,
  cookie: string | undefined,
  token: unknown,
) {
  if (!cookie || typeof token !== 'string') return false
  return constantTimeEqual(await csrfToken(vault, claimId, cookie), token)
}
