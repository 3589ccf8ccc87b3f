import { constantTimeEqual } from '../crypto/bytes.ts'
import { signatureHeader } from './signing.ts'

export interface WebhookHeaders {
  id: string | undefined
  timestamp: string | undefined
  signature: string | undefined
}

export type Verdict = 'ok' | 'missing headers' | 'stale timestamp' | 'bad signature'

/**
 * Checks a Standard Webhooks message as a receiver should: the timestamp within five minutes of
 * now, and one `v1,` signature over `id.timestamp.body` made with the secret.
 */
export async function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  now: Date,
  toleranceSeconds = 300,
): Promise<Verdict> {
  const { id, timestamp, signature } = headers
  if (!id || !timestamp || !signature || !/^\d+$/.test(timestamp)) return 'missing headers'
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return 'stale timestamp'
  }
  const expected = await signatureHeader([secret], id, Number(timestamp), body)
  const match = signature.split(' ').some((candidate) => constantTimeEqual(candidate, expected))
  return match ? 'ok' : 'bad signature'
}
