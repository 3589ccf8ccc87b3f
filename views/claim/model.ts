/** Everything a claim page shows, already formatted; the views only lay it out. */
export interface OfferModel {
  /** A test claim: paid through the sandbox, so no money will move. */
  testMode: boolean
  provider: string
  cash: string
  points: string
  /** Present when the customer bears a fee. */
  fee?: string
  /** Shown while the claim can still be used. */
  expires?: string
  /** The provider's "Need help?" contact. */
  support?: { text: string; href: string }
  /** The provider's own colours: a stylesheet linked after the shared one. */
  theme?: string
}

export interface FieldValues {
  type?: string
  payid_type?: string
  payid?: string
  account_name?: string
  bsb?: string
  account_number?: string
}

export interface FormModel {
  action: string
  csrf: string
  values: FieldValues
  errors: Record<string, string>
  /** Why the last payout failed, when the claim opened again. */
  retryReason?: string
}

export interface ReviewModel {
  action: string
  csrf: string
  /** The normalised destination, sent again as hidden fields with the confirmation. */
  values: FieldValues
  lines: { label: string; value: string }[]
}

export type StatusState = 'processing' | 'paid' | 'failed' | 'expired' | 'cancelled'

export interface StatusModel {
  state: StatusState
  destination?: string
  at?: string
  reason?: string
  /** Why a payout in flight is taking longer than usual. */
  delay?: string
  pollUrl?: string
  /** The page itself, to refresh by hand when scripts are off. */
  pageUrl?: string
}
