import type { Payout, WaitingOn } from '../db/schema.ts'

/**
 * Why a payout in flight is taking longer, in words a provider (the API, webhooks) can read.
 * None of these waits is the customer's doing, and none asks anything of them; the claim page
 * tells the customer in its own catalogues (`waiting.*`).
 */
const REASONS: Record<WaitingOn, string> = {
  rail_funds:
    'Delayed: the payment service is waiting for funds (HC_PAYOUT1); it is sent as soon as they arrive. Nothing is needed from the customer.',
  rail_retry:
    'Delayed: the payment service did not answer; it is being tried again. Nothing is needed from the customer.',
  rail_credentials:
    'Delayed: the payment service is not accepting payments from Cashout right now; it is sent as soon as it does. Nothing is needed from the customer.',
  rail_confirmation:
    'Waiting for the bank’s confirmation: the payment was sent and its result has not been reported yet. The operator has been told.',
  operator:
    'Delayed: the payment is being checked by the operator. Nothing is needed from the customer.',
}

/** What a payout in flight waits on, from the latest payout; undefined when nothing is amiss. */
export function waitingOn(
  payout: Pick<Payout, 'status' | 'waiting_on'> | undefined,
): WaitingOn | undefined {
  if (!payout?.waiting_on) return undefined
  if (payout.status === 'settled' || payout.status === 'failed') return undefined
  return payout.waiting_on
}

/** The reason a claim in flight shows, from its latest payout; undefined when nothing is amiss. */
export function waitingReason(
  payout: Pick<Payout, 'status' | 'waiting_on'> | undefined,
): string | undefined {
  const on = waitingOn(payout)
  return on ? REASONS[on] : undefined
}
