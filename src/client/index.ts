import createClient, { type Client } from 'openapi-fetch'
import type { components, paths } from './schema.ts'

export type { components, operations, paths, webhooks } from './schema.ts'
export {
  verifyWebhook,
  type WebhookEvent,
  type WebhookHeaders,
  WebhookVerificationError,
} from './webhooks.ts'

type Schemas = components['schemas']
export type ApiError = Schemas['Error']
export type Claim = Schemas['Claim']
export type Destination = Schemas['Destination']
export type Quote = Schemas['Quote']
export type Payout = Schemas['Payout']
export type Rule = Schemas['Rule']
export type Balance = Schemas['Balance']
export type ApiKey = Schemas['ApiKey']
export type Delivery = Schemas['Delivery']
export type ClaimEvent = Schemas['ClaimEvent']
export type FloatLowEvent = Schemas['FloatLowEvent']
export type WebhookTestEvent = Schemas['WebhookTestEvent']

type OperatorPath = Extract<keyof paths, `/operator/${string}`>
/** Called by the payout rail, never by a provider. */
type RailPath = Extract<keyof paths, `/rail/${string}`>

/** Every operation a provider calls (registration, claims, rules, float, keys, webhooks, …). */
export type ProviderPaths = Omit<paths, OperatorPath | RailPath>
/** The operator API (`/operator/…`). */
export type OperatorPaths = Pick<paths, OperatorPath>

export interface CashoutClientOptions {
  /** Where Cashout answers, e.g. `https://cashout.example` (no trailing path). */
  baseUrl: string
  /**
   * Your API key (`ck_test_…` or `ck_live_…`). Leave it out to register; where the operator has
   * closed registration, their registration token goes here instead.
   */
  apiKey?: string
  /** Another `fetch` (a test's in-process app, a proxy-aware one); `globalThis.fetch` by default. */
  fetch?: (request: Request) => Promise<Response>
}

/**
 * A provider's typed client: openapi-fetch over the generated `paths`, the key sent as
 * `Authorization: Bearer`. Each call answers `{ data, error, response }`: `data` typed by the
 * operation's success response, `error` by its error response (`ApiError`).
 */
export function createCashoutClient(options: CashoutClientOptions): Client<ProviderPaths> {
  return createClient<ProviderPaths>(clientOptions(options.baseUrl, options.apiKey, options.fetch))
}

export interface OperatorClientOptions {
  baseUrl: string
  /** OPERATOR_TOKEN. */
  token: string
  fetch?: (request: Request) => Promise<Response>
}

/** The operator's typed client: only `/operator/…` operations, with the operator token. */
export function createOperatorClient(options: OperatorClientOptions): Client<OperatorPaths> {
  return createClient<OperatorPaths>(clientOptions(options.baseUrl, options.token, options.fetch))
}

function clientOptions(
  baseUrl: string,
  bearer: string | undefined,
  fetch: ((request: Request) => Promise<Response>) | undefined,
) {
  return {
    baseUrl,
    headers: bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` },
    ...(fetch ? { fetch } : {}),
  }
}
