import type { Destination } from '../destination.ts'

export interface WithdrawRequest {
  /** Our payout id: the same on every retry, so the rail never pays twice. */
  clientTransactionId: string
  userId: string
  amountMinor: bigint
  currency: string
  description: string
  destination: Destination
  callbackUrl: string
  /** Sent back verbatim as the callback's Authorization header. */
  callbackAuthorization: string
}

export interface WithdrawAccepted {
  withdrawalId: string
  status: string
}

/**
 * - `unavailable`: timeout, network, 5xx, 429. The payout may exist; retry with the same id.
 * - `insufficient_funds`: our balance at the rail is short; retry once it is topped up.
 * - `unauthorized`: our credentials are wrong; retry once the operator fixes them.
 * - `rejected`: the rail refused this request (e.g. the destination); do not retry it.
 * - `conflict`: the id was used for a different request; a person must look.
 */
export type RailErrorKind =
  | 'unavailable'
  | 'insufficient_funds'
  | 'unauthorized'
  | 'rejected'
  | 'conflict'

export class RailError extends Error {
  constructor(
    readonly kind: RailErrorKind,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message)
    this.name = 'RailError'
  }

  get retryable(): boolean {
    return this.kind !== 'rejected' && this.kind !== 'conflict'
  }
}

/** Where money leaves. The real Hello Clever API and the sandbox both answer over HTTP. */
export interface PayoutRail {
  withdraw(request: WithdrawRequest): Promise<WithdrawAccepted>
}
