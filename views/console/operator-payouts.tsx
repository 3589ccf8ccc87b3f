import { Notice, PostForm, Summary } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

export const OUTCOMES = [
  { value: 'settled', label: 'Paid: the rail paid it, and the claim settles' },
  { value: 'failed', label: 'Not paid: the customer may try another account' },
  {
    value: 'failed_final',
    label: 'Not paid, for good: the claim fails and its money goes back to the float',
  },
  {
    value: 'resend',
    label: 'Never paid, nothing wrong with the account: send it again under a new id',
  },
] as const

export interface PayoutItem {
  id: string
  amount: string
  provider: { name: string; href: string }
  mode: 'Test' | 'Live'
  status: string
  /** Why it is here, in words. */
  why: string
  facts: [string, string][]
  /** What to search for in Hello Clever's portal; empty when it never reached the rail. */
  lookUp: [string, string][]
  /** Where the resolve form posts; none while the payout has not been sent to the rail. */
  action?: string
  /** The form as sent, when it came back with an error. */
  values?: { outcome?: string; reason?: string }
  errors?: { outcome?: string; reason?: string }
}

export interface PayoutsModel {
  items: PayoutItem[]
  /** Rails whose circuit is open: nothing is sent through them for now. */
  rails: string[]
  notice?: string
}

function ResolveForm({ item, csrf }: { item: PayoutItem; csrf: string }) {
  const errors = item.errors ?? {}
  const chosen = item.values?.outcome
  const reasonId = `f-reason-${item.id}`
  return (
    <PostForm action={item.action ?? ''} csrf={csrf}>
      <fieldset class={errors.outcome ? 'field has-error op-choice' : 'field op-choice'}>
        <legend>What did you find?</legend>
        {errors.outcome ? <p class="error">{errors.outcome}</p> : null}
        {OUTCOMES.map((o, i) => (
          <label>
            <input
              type="radio"
              name="outcome"
              value={o.value}
              id={i === 0 ? `f-outcome-${item.id}` : undefined}
              checked={chosen === o.value}
              required
            />{' '}
            {o.label}
          </label>
        ))}
      </fieldset>
      <div class={errors.reason ? 'field has-error' : 'field'}>
        <label for={reasonId}>Reason</label>
        <p class="hint" id={`${reasonId}-hint`}>
          What you found, for the record (at least 5 characters)
        </p>
        {errors.reason ? (
          <p class="error" id={`${reasonId}-error`}>
            <span class="visually-hidden">Error: </span>
            {errors.reason}
          </p>
        ) : null}
        <input
          type="text"
          id={reasonId}
          name="reason"
          value={item.values?.reason}
          autocomplete="off"
          aria-describedby={
            errors.reason ? `${reasonId}-hint ${reasonId}-error` : `${reasonId}-hint`
          }
          aria-invalid={errors.reason ? 'true' : undefined}
        />
      </div>
      <button type="submit" class="button primary">
        Resolve payout
      </button>
    </PostForm>
  )
}

/** Payouts code cannot finish alone, oldest first, each with what to check and how to close it. */
export function PayoutsPage({ chrome, model }: { chrome: Chrome; model: PayoutsModel }) {
  return (
    <ConsoleLayout title="Payouts needing attention" chrome={chrome}>
      {model.notice ? (
        <Notice kind="success">
          <p>{model.notice}</p>
        </Notice>
      ) : null}
      {model.rails.map((r) => (
        <Notice kind="warning">
          <p>{r}</p>
        </Notice>
      ))}
      {model.items.length === 0 ? (
        <p>Nothing needs attention: every payout is moving on its own.</p>
      ) : (
        <p>Oldest first. Look each one up in Hello Clever’s portal, then record what you found.</p>
      )}
      {model.items.map((item) => (
        <article class="card op-payout" aria-labelledby={`p-${item.id}`}>
          <h2 id={`p-${item.id}`}>
            {item.amount} for <a href={item.provider.href}>{item.provider.name}</a>{' '}
            <span class={item.mode === 'Live' ? 'badge live' : 'badge test'}>{item.mode}</span>
          </h2>
          <p>
            <strong>{item.status}.</strong> {item.why}
          </p>
          <Summary rows={item.facts} />
          <h3>Look up at Hello Clever</h3>
          {item.lookUp.length > 0 ? (
            <Summary rows={item.lookUp.map(([k, v]) => [k, <span class="mono">{v}</span>])} />
          ) : (
            <p class="muted">It never reached the rail: there is nothing to look up.</p>
          )}
          {item.action ? (
            <ResolveForm item={item} csrf={chrome.csrf} />
          ) : (
            <p class="muted">
              It has not been sent yet, so there is nothing to resolve: it goes once the reason
              above is cleared.
            </p>
          )}
        </article>
      ))}
    </ConsoleLayout>
  )
}
