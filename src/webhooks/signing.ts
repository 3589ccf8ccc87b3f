import { base64url } from 'jose'
import { hmacSha256 } from '../crypto/bytes.ts'

/** The key inside a Standard Webhooks `whsec_<base64>` secret. */
export function secretKey(secret: string): Uint8Array {
  const encoded = secret.startsWith('whsec_') ? secret.slice(6) : secret
  return base64url.decode(encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))
}

/**
 * `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, once per secret, space
 * separated, so receivers holding either secret verify during a rotation.
 */
export async function signatureHeader(
  secrets: string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const content = `${id}.${timestamp}.${body}`
  const signatures = secrets.map(
    (secret) => `v1,${hmacSha256(secretKey(secret), content).toString('base64')}`,
  )
  return signatures.join(' ')
}
