import type { ContentfulStatusCode } from 'hono/utils/http-status'

interface CodeSpec {
  status: ContentfulStatusCode
  message: string
}

/** The closed set of error codes, each with its one HTTP status and default sentence. */
export const errorCodes = {
  bad_request: { status: 400, message: 'The request could not be understood.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  unauthorized: { status: 401, message: 'Authentication is required.' },
  forbidden: { status: 403, message: 'This credential may not do that.' },
  live_mode_unavailable: {
    status: 403,
    message:
      'This deployment has no live payout rail, so live keys are refused. Use a test key, or ask the operator to configure Hello Clever (RAIL=hello-clever).',
  },
  test_mode_only: {
    status: 403,
    message: 'Only a test key can do this; live floats are funded by the operator.',
  },
  live_key_required: {
    status: 403,
    message:
      'This provider has live keys, so its account settings (endpoint, card, webhook secret) change only with a live key.',
  },
  provider_suspended: {
    status: 403,
    message:
      'This provider is suspended by the operator, so no claims can be generated. Contact whoever runs Cashout.',
  },
  not_found: { status: 404, message: 'No such resource.' },
  payload_too_large: { status: 413, message: 'The request body is larger than 64 KiB.' },
  unsupported_media_type: {
    status: 415,
    message: 'Send the request body as application/json.',
  },
  item_exists: { status: 409, message: 'That name is already taken.' },
  idempotency_conflict: {
    status: 409,
    message: 'This reference was already used with a different request.',
  },
  insufficient_float: {
    status: 409,
    message: 'The float does not hold enough money for this claim.',
  },
  last_active_key: {
    status: 409,
    message: 'This is the last active key; create another before revoking it.',
  },
  delivery_in_flight: {
    status: 409,
    message: 'This delivery is being sent right now; replay it once that attempt is logged.',
  },
  last_owner: {
    status: 409,
    message: 'A provider keeps at least one owner: make another member an owner first.',
  },
  payout_final: { status: 409, message: 'The payout is already final.' },
  payout_not_sent: {
    status: 409,
    message:
      'This payout has not been sent to the rail yet, so there is nothing to resolve; Cashout sends it on its own.',
  },
  claim_not_open: { status: 409, message: 'The claim is no longer open.' },
  webhook_secret_overlaps: {
    status: 409,
    message:
      'Three earlier signing secrets are still in their overlap. Rotate again once the first of them ends, or with overlap_seconds 0.',
  },
  rate_limited: { status: 429, message: 'Too many requests; try again shortly.' },
  validation_failed: { status: 422, message: 'Some fields are invalid.' },
  amount_out_of_range: { status: 422, message: 'The amount is outside the rule’s limits.' },
  amount_not_in_steps: { status: 422, message: 'The amount is not a whole number of steps.' },
  amount_too_small: { status: 422, message: 'The amount leaves nothing after fees.' },
  amount_too_large: { status: 422, message: 'The amount is too large for a single claim.' },
  cap_exceeded: { status: 422, message: 'The customer’s cap would be exceeded.' },
  internal_error: {
    status: 500,
    message: 'Something went wrong on our side. Quote the request id if you contact support.',
  },
  not_ready: { status: 503, message: 'The service is not ready.' },
} as const satisfies Record<string, CodeSpec>

export type ErrorCode = keyof typeof errorCodes

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return errorCodes[code].status
}
