import type { Translator } from '../../src/page/i18n/catalogue.ts'
import type { Locale } from '../../src/page/i18n/locales.ts'

export type { Locale, Translator }

/** Everything a claim page shows, already formatted in its language; the views only lay it out. */
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
  /** Each field's message, in the page's language. */
  errors: Record<string, string>
  /** Why the last payout failed, when the claim opened again. */
  retryReason?: string
}

export interface ReviewModel {
  action: string
  csrf: string
  /** The normalised destination, sent again as hidden fields with the confirmation. */
  values: FieldValues
  /** `ltr`: digits, addresses and codes, kept left to right inside a right-to-left page. */
  lines: { label: string; value: string; ltr?: boolean }[]
}

export type StatusState = 'processing' | 'paid' | 'failed' | 'expired' | 'cancelled'

/** A masked destination as the page names it: a bank account or a PayID, or unknown. */
export type DestinationModel = { kind: 'account' | 'payid'; masked: string } | undefined

export interface StatusModel {
  state: StatusState
  destination?: DestinationModel
  reason?: string
  /** Why a payout in flight is taking longer than usual. */
  delay?: string
  pollUrl?: string
  /** The page itself, to refresh by hand when scripts are off. */
  pageUrl?: string
  /** Once paid: what the receipt lists. */
  receipt?: ReceiptModel
}

export interface ReceiptModel {
  at: string
  /** The account holder's name, for a bank account. */
  accountName?: string
  /** The claim's uuid: what the customer quotes to the program. */
  reference: string
}

/** The language switcher: the page's language and where each other one is. */
export interface LanguagesModel {
  current: Locale
  /** The address that shows this page in a language (`?lang=`). */
  href: (locale: Locale) => string
}
