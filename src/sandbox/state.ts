/** Everything the sandbox remembers, as plain JSON so it can be saved and reloaded. */

export interface WithdrawalRecord {
  clientTransactionId: string
  requestHash: string
  withdrawalId: string
  amountMinor: number
  /** The customer who withdrew (absent in state saved before it was kept). */
  userId?: string
  status: 'processing' | 'settled' | 'failed'
  errorCode: string | null
  errorMessage: string | null
  /** The 200 body as first answered; a repeat of the same request gets it again. */
  response: Record<string, unknown>
  requests: number
  /** When a processing withdrawal settles or fails; saved so a restarted sandbox still does it. */
  finishAt: string | null
  createdAt: string
  updatedAt: string
}

export interface PayoutTransactionRecord {
  id: number
  uuid: string
  payee: string
  email: string
  amountMinor: number
  payid: string | null
  payidType: string | null
  bsb: string | null
  accountNumber: string | null
  params: Record<string, string>
  externalId: string | null
  status: 'pending' | 'settled' | 'failed'
  /** Not in the v1 document, which gives a line only a message; sent so failures classify. */
  errorCode?: string | null
  errorMessage: string | null
  createdAt: string
}

export interface PayoutBatchRecord {
  version: 1 | 2
  id: number
  uuid: string
  currency: string
  payoutMethodName: string | null
  description: string
  status: 'created' | 'processing' | 'scheduled' | 'completed' | 'expired'
  scheduledAt: string | null
  isRetry: boolean
  externalId: string | null
  notification: { endpoint_url: string; authorization_header: string } | null
  errorCode: string | null
  errorMessage: string | null
  topUpPayid: string
  transactions: PayoutTransactionRecord[]
  createdAt: string
}

export interface PaymentRequestRecord {
  id: number
  balanceId: string
  name: string
  requestPayid: string
  gst: boolean
  amountMinor: number
  description: string
  emails: string
  status:
    | 'pending'
    | 'received'
    | 'expired'
    | 'return_pending'
    | 'return_received'
    | 'return_expired'
    | 'return_rejected'
  expiredAt: string
  externalId: string | null
  paidAt: string | null
  nonce: string
  notification: { endpoint_url: string; authorization_header: string } | null
  refund: { payid: string; amountMinor: number; reason: string; requestedAt: string } | null
  createdAt: string
}

export interface CallbackJob {
  id: number
  url: string
  authorization: string
  body: Record<string, unknown>
  /** 1 for the first delivery; Hello Clever makes 3 more after a non-200, 15 minutes apart. */
  attempt: number
  dueAt: string
  origin: string
}

export interface DeliveryRecord {
  jobId: number
  url: string
  attempt: number
  status: number | null
  error: string | null
  at: string
  origin: string
}

export interface SandboxState {
  balanceMinor: number
  /** Each customer's cashback balance, for the strict withdraw mode (by user_id). */
  cashback: Record<string, number>
  /** Requests received, by API, so a run can count its calls to the rail. */
  requests: Record<string, number>
  seq: number
  withdrawals: Record<string, WithdrawalRecord>
  /** Requests that failed on purpose (the "flaky" input), by client_transaction_id. */
  flakySeen: Record<string, true>
  batches: Record<string, PayoutBatchRecord>
  paymentRequests: Record<string, PaymentRequestRecord>
  callbacks: CallbackJob[]
  deliveries: DeliveryRecord[]
}

/** A map keyed by ids clients choose: no prototype, so `__proto__` is just another key. */
function dictionary<T>(from: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from)
}

export function emptyState(balanceMinor: number): SandboxState {
  return {
    balanceMinor,
    cashback: dictionary(),
    requests: dictionary(),
    seq: 1000,
    withdrawals: dictionary(),
    flakySeen: dictionary(),
    batches: dictionary(),
    paymentRequests: dictionary(),
    callbacks: [],
    deliveries: [],
  }
}

/** State read back from JSON, with its maps made prototype-free again. */
export function revive(saved: Partial<SandboxState>, balanceMinor: number): SandboxState {
  const state = { ...emptyState(balanceMinor), ...saved }
  state.cashback = dictionary(saved.cashback)
  state.requests = dictionary(saved.requests)
  state.withdrawals = dictionary(saved.withdrawals)
  state.flakySeen = dictionary(saved.flakySeen)
  state.batches = dictionary(saved.batches)
  state.paymentRequests = dictionary(saved.paymentRequests)
  return state
}
