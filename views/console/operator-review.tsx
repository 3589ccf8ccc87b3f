import { type Errors, Input, PostButton, PostForm } from './components.tsx'

/** What a provider asked its claim pages to show, and where the operator's review stands. */
export interface TextReview {
  field: 'display_name' | 'support_contact'
  status: 'pending' | 'approved' | 'rejected'
  requested: string
  /** What customers see now; null: nothing (a support contact not yet approved). */
  shown: string | null
  /** The day it was asked for. */
  since?: string
  reason?: string
}

/** Each field's words, its anchor on the provider page and its form's reason field. */
export const REVIEW_TEXT = {
  display_name: {
    id: 'display-name',
    title: 'Display name',
    asks: 'Asks to be shown to customers as',
    care: 'Approve only a name this provider may use: not a bank’s, a payment brand’s or Cashout’s.',
    withdrawn: 'Customers then see the provider’s own name; the provider reads the reason',
    reasonField: 'name_reason',
    badge: 'Name to review',
  },
  support_contact: {
    id: 'support-contact',
    title: 'Support contact',
    asks: 'Asks to show customers “Need help?” with',
    care: 'Approve only a contact that belongs to this provider: an address or number that does not ask customers to sign in anywhere or to give bank details.',
    withdrawn: 'Customers then see no contact; the provider reads the reason',
    reasonField: 'contact_reason',
    badge: 'Contact to review',
  },
} as const

const seen = (shown: string | null) =>
  shown === null ? 'Customers now see no contact.' : `Customers now see “${shown}”.`

/**
 * Approve or reject what a provider asked for, or withdraw what was approved. The text reviewed
 * travels with the form, so text changed since is not decided blind.
 */
export function ReviewSection({
  review,
  action,
  csrf,
  errors,
}: {
  review: TextReview
  action: string
  csrf: string
  errors: Errors
}) {
  const words = REVIEW_TEXT[review.field]
  const reject = (label: string, hint: string) => (
    <PostForm action={action} csrf={csrf}>
      <input type="hidden" name="decision" value="reject" />
      <input type="hidden" name="text" value={review.requested} />
      <Input name={words.reasonField} label={label} hint={hint} error={errors[words.reasonField]} />
      <button type="submit" class="button danger">
        {review.status === 'approved' ? 'Withdraw' : 'Reject'}
      </button>
    </PostForm>
  )
  return (
    <section aria-labelledby={words.id} class="op-form">
      <h2 id={words.id}>{words.title}</h2>
      {review.status === 'pending' ? (
        <>
          <p>
            {words.asks} <strong>“{review.requested}”</strong>
            {review.since ? ` (asked ${review.since})` : ''}. {seen(review.shown)}
          </p>
          <p class="muted">{words.care}</p>
          <div class="actions">
            <PostButton
              action={action}
              csrf={csrf}
              label="Approve"
              kind="primary"
              fields={{ decision: 'approve', text: review.requested }}
            />
          </div>
          {reject('Reason for rejecting', 'At least 5 characters; the provider reads it')}
        </>
      ) : review.status === 'approved' ? (
        <>
          <p>Customers see “{review.requested}”.</p>
          {reject('Reason for withdrawing it', words.withdrawn)}
        </>
      ) : (
        <p>
          Refused “{review.requested}”: {review.reason ?? '—'}. {seen(review.shown)}
        </p>
      )}
    </section>
  )
}
