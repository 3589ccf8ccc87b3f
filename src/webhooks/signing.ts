import { base64url } from 'jose'
import { toBase64 } from '../crypto/bytes.ts'

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
  const content = new TextEncoder().encode(`${id}.${timestamp}.${body}`)
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey(
        'raw',
        new Uint8Array(secretKey(secret)),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      )
      return `v1,${toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, content)))}`
    }),
  )
  return signatures.join(' ')
}
