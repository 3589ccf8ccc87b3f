import type { Destination } from '../destination.ts'
import type { RailProblem } from './classify.ts'

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
  /** The answer's `amount` (major units) read exactly; undefined if it had none. */
  amountMinor: bigint | undefined
  /** False when the answer's `amount` was there but not an amount at all. */
  amountReadable: boolean
}

/** One transaction of a v1 batch: who is paid, how much, where. */
export interface BatchLine {
  payee: string
  amountMinor: bigint
  destination: Destination
}

export interface BatchRequest {
  /** Our batch id, sent as `external_id` so a person can find the batch in Hello Clever's portal. */
  externalId: string
  description: string
  lines: BatchLine[]
  callbackUrl: string
  callbackAuthorization: string
}

/** A line of a v1 PayoutObject, as the answer and every callback report it. */
export interface ReportedLine {
  id: string | undefined
  amountMinor: bigint | undefined
  status: string | undefined
  /** Not in the v1 document (which gives lines only a message); the sandbox sends one. */
  errorCode: string | undefined
  errorMessage: string | undefined
  payid: string | undefined
  bsb: string | undefined
  accountNumber: string | undefined
}

/** A v1 PayoutObject: the batch as Hello Clever sees it. */
export interface BatchReport {
  uuid: string | undefined
  id: string | undefined
  externalId: string | undefined
  status: string | undefined
  totalMinor: bigint | undefined
  errorCode: string | undefined
  errorMessage: string | undefined
  lines: ReportedLine[]
}

/** The rail did not take a request; `problem` says why, classified as the documents allow. */
export class RailError extends Error {
  constructor(
    readonly problem: RailProblem,
    readonly httpStatus?: number,
  ) {
    super(problem.detail)
    this.name = 'RailError'
  }
}

/** Where money leaves. The real Hello Clever API and the sandbox both answer over HTTP. */
export interface PayoutRail {
  /** `POST /v2/cashbacks/withdraw`: one payout, idempotent on its client_transaction_id. */
  withdraw(request: WithdrawRequest): Promise<WithdrawAccepted>
  /** `POST /v1/payouts`: many payouts in one request, from the merchant balance. */
  createBatch(request: BatchRequest): Promise<BatchReport>
}
