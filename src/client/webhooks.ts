import { Webhook, WebhookVerificationError } from 'standardwebhooks'
import type { webhooks } from './schema.ts'

export { WebhookVerificationError }

/** The request's headers as a fetch `Request` has them, or as Node's `IncomingMessage` does. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>

/** What an event's message carries, from the document's `webhooks` section. */
type Body<Name extends keyof webhooks> = webhooks[Name]['post'] extends {
  requestBody: { content: { 'application/json': infer Event } }
}
  ? Event
  : never

/**
 * Every event Cashout sends, one per name in the document's `webhooks` section (an event the
 * document gains joins it on the next `npm run client:generate`). `event` tells them apart.
 */
export type WebhookEvent = { [Name in keyof webhooks]: Body<Name> }[keyof webhooks]

const NAMES = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const

/**
 * Checks a webhook from Cashout with the Standard Webhooks library, then parses it: a
 * `webhook-signature` made with `secret` (any of the space-separated ones, as during a secret's
 * rotation) over the exact bytes received, and a `webhook-timestamp` within five minutes of now.
 * Throws `WebhookVerificationError` otherwise. Pass the raw body, before any JSON parsing: a
 * re-serialised body is not what was signed.
 */
export function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
): WebhookEvent {
  // The signature says Cashout sent these bytes, and Cashout sends the documented shapes.
  return new Webhook(secret).verify(text(rawBody), pick(headers)) as WebhookEvent
}

function pick(headers: WebhookHeaders): Record<string, string> {
  const found: Record<string, string> = {}
  for (const name of NAMES) {
    const value = isHeaders(headers) ? headers.get(name) : lookup(headers, name)
    // A header given twice is not one Cashout sent: leave it out, so verification fails.
    if (typeof value === 'string') found[name] = value
  }
  return found
}

/** By shape, not `instanceof`: a framework's own `Headers` class serves as well. */
function isHeaders(headers: WebhookHeaders): headers is Headers {
  return typeof headers.get === 'function'
}

function lookup(headers: Record<string, string | string[] | undefined>, name: string) {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value
  }
  return undefined
}

/** Cashout signs UTF-8 JSON; bytes that are not UTF-8 were not sent by it. */
function text(body: string | Uint8Array): string {
  if (typeof body === 'string') return body
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw new WebhookVerificationError('The body is not UTF-8')
  }
}
