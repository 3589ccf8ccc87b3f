import type { Payout, WaitingOn } from '../db/schema.ts'

/**
 * Why a payout in flight is taking longer, in words a provider (the API, webhooks) and a
 * customer (the claim page) can read. None of these waits is the customer's doing, and none
 * asks anything of them.
 */
const REASONS: Record<WaitingOn, { provider: string; customer: string }> = {
  rail_funds: {
    provider:
      'Delayed: the payment service is waiting for funds (HC_PAYOUT1); it is sent as soon as they arrive. Nothing is needed from the customer.',
    customer:
      'Your payment is delayed while the payment service waits for funds. You don’t need to do anything: it is sent as soon as they arrive.',
  },
  rail_retry: {
    provider:
      'Delayed: the payment service did not answer; it is being tried again. Nothing is needed from the customer.',
    customer:
      'Your payment is delayed: the payment service did not answer, so we are trying again. You don’t need to do anything.',
  },
  rail_credentials: {
    provider:
      'Delayed: the payment service is not accepting payments from Cashout right now; it is sent as soon as it does. Nothing is needed from the customer.',
    customer:
      'Your payment is delayed: the payment service is not taking payments right now. You don’t need to do anything: it is sent as soon as it is back.',
  },
  rail_confirmation: {
    provider:
      'Waiting for the bank’s confirmation: the payment was sent and its result has not been reported yet. The operator has been told.',
    customer:
      'Your payment was sent, and we are waiting for the bank to confirm it. You don’t need to do anything.',
  },
  operator: {
    provider:
      'Delayed: the payment is being checked by the operator. Nothing is needed from the customer.',
    customer: 'Your payment is being checked by our team. You don’t need to do anything.',
  },
}

/** The reason a claim in flight shows, from its latest payout; undefined when nothing is amiss. */
export function waitingReason(
  payout: Pick<Payout, 'status' | 'waiting_on'> | undefined,
  audience: 'provider' | 'customer' = 'provider',
): string | undefined {
  if (!payout?.waiting_on) return undefined
  if (payout.status === 'settled' || payout.status === 'failed') return undefined
  return REASONS[payout.waiting_on][audience]
}
