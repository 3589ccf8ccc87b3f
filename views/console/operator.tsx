import type { Child } from 'hono/jsx'
import { ErrorSummary, type Errors, Input, Notice, PostForm, Summary } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'
import { type ActivityItem, ActivityList } from './operator-activity.tsx'
import { REVIEW_TEXT, ReviewSection, type TextReview } from './operator-review.tsx'

export interface ModeCard {
  label: 'Test' | 'Live'
  available: string
  reserved: string
  /** Claims made in the last 24 hours and 30 days, one line each. */
  claims: [string, string]
}

export interface ProviderCard {
  name: string
  href: string
  /** The approved display name: what customers see. */
  displayName?: string
  /** What waits for the operator: a display name, a support contact. */
  toReview: ('display_name' | 'support_contact')[]
  since: string
  suspended: boolean
  modes: ModeCard[]
}

export interface ProvidersModel {
  /** "12 providers", or what a search found. */
  count: string
  search: string
  providers: ProviderCard[]
  nextHref?: string
}

function State({ suspended }: { suspended: boolean }) {
  return suspended ? (
    <span class="op-state suspended">Suspended</span>
  ) : (
    <span class="op-state active">Active</span>
  )
}

function Modes({ modes }: { modes: ModeCard[] }) {
  return (
    <div class="op-modes">
      {modes.map((m) => (
        <div class="op-mode">
          <h3 class={m.label === 'Live' ? 'badge live' : 'badge test'}>{`${m.label} float`}</h3>
          <p>
            <strong>{m.available}</strong> available
          </p>
          <p>{m.reserved} reserved</p>
          {m.claims.map((line) => (
            <p class="muted op-count">{line}</p>
          ))}
        </div>
      ))}
    </div>
  )
}

/** Every provider as a card: readable on a phone however many there are, a grid when wide. */
export function ProvidersPage({ chrome, model }: { chrome: Chrome; model: ProvidersModel }) {
  return (
    <ConsoleLayout title="Providers" chrome={chrome}>
      <form method="get" action="/console/operator" class="op-search">
        <Input name="q" label="Find a provider" type="search" value={model.search} />
        <button type="submit" class="button secondary">
          Find
        </button>
      </form>
      <p class="muted">{model.count}</p>
      <ul class="op-providers">
        {model.providers.map((p) => (
          <li class="card">
            <h2>
              <a href={p.href}>{p.name}</a> <State suspended={p.suspended} />
              {p.toReview.map((field) => (
                <>
                  {' '}
                  <a class="op-state" href={`${p.href}#${REVIEW_TEXT[field].id}`}>
                    {REVIEW_TEXT[field].badge}
                  </a>
                </>
              ))}
            </h2>
            <p class="muted">
              {p.displayName ? `${p.displayName} · ` : ''}
              {p.since}
            </p>
            <Modes modes={p.modes} />
            <p class="op-links">
              <a href={`${p.href}#credit`}>
                Credit float<span class="visually-hidden"> of {p.name}</span>
              </a>
              <a href={`${p.href}#suspension`}>
                {p.suspended ? 'Resume' : 'Suspend'}
                <span class="visually-hidden"> {p.name}</span>
              </a>
            </p>
          </li>
        ))}
      </ul>
      {model.nextHref ? (
        <nav class="pager" aria-label="More providers">
          <a href="/console/operator">First page</a>
          <a href={model.nextHref}>Next providers</a>
        </nav>
      ) : null}
    </ConsoleLayout>
  )
}

export interface ProviderModel {
  card: ProviderCard
  /** What it asked its claim pages to show, while there is something to decide or see. */
  reviews: TextReview[]
  /** Other providers registered with the same card, linked; `more` beyond those listed. */
  sameCard: { name: string; href: string }[]
  sameCardMore: number
  /** "Suspended 1 Mar 2026, 10:00 am AEDT: reason". */
  suspension?: { since: string; reason: string }
  liveAvailable: boolean
  csrf: string
  recent: ActivityItem[]
  activityHref: string
}

export interface CreditValues {
  amount?: string
  reference?: string
  mode?: string
}

/** One provider: its floats, the credit form and the suspension switch. */
export function ProviderPage({
  chrome,
  model,
  credit = {},
  errors = {},
  notice,
}: {
  chrome: Chrome
  model: ProviderModel
  credit?: CreditValues
  errors?: Errors
  notice?: { kind: 'success' | 'warning'; text: string }
}) {
  const { card } = model
  const base = `/console/operator/providers/${encodeURIComponent(card.name)}`
  return (
    <ConsoleLayout title={card.name} chrome={chrome}>
      <p>
        <a href="/console/operator">All providers</a>
      </p>
      {notice ? (
        <Notice kind={notice.kind}>
          <p>{notice.text}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={errors} />
      <div class="op-form">
        <Summary
          rows={[
            ['State', <State suspended={card.suspended} />],
            ...(model.suspension
              ? ([
                  ['Suspended', model.suspension.since],
                  ['Reason', model.suspension.reason],
                ] as [string, string][])
              : []),
            ['Registered', card.since.replace(/^Since /, '')],
            ...(card.displayName
              ? ([['Shown to customers as', card.displayName]] as [string, string][])
              : []),
            ...(model.sameCard.length > 0
              ? ([['Same card as', <SameCard model={model} />]] as [string, Child][])
              : []),
          ]}
        />
        <Modes modes={card.modes} />
      </div>

      {model.reviews.map((review) => (
        <ReviewSection
          review={review}
          action={`${base}/${REVIEW_TEXT[review.field].id}`}
          csrf={model.csrf}
          errors={errors}
        />
      ))}

      <section aria-labelledby="credit" class="op-form">
        <h2 id="credit">Credit float</h2>
        <p class="muted">
          Record money received for this provider. Sending the same reference again changes nothing,
          so a repeated form is safe.
        </p>
        <PostForm action={`${base}/credit`} csrf={model.csrf}>
          <Input
            name="amount"
            label="Amount"
            hint="In dollars, e.g. 250.00"
            inputmode="decimal"
            autocomplete="off"
            value={credit.amount}
            error={errors.amount}
            short
          />
          <Input
            name="reference"
            label="Reference"
            hint="Your funding reference, e.g. the bank transfer’s id"
            autocomplete="off"
            value={credit.reference}
            error={errors.reference}
          />
          {model.liveAvailable ? (
            <fieldset class={errors.mode ? 'field has-error op-choice' : 'field op-choice'}>
              <legend>Which float</legend>
              {errors.mode ? <p class="error">{errors.mode}</p> : null}
              <label>
                <input
                  type="radio"
                  name="mode"
                  value="test"
                  id="f-mode"
                  checked={credit.mode !== 'live'}
                />{' '}
                Test float (not real money)
              </label>
              <label>
                <input type="radio" name="mode" value="live" checked={credit.mode === 'live'} />{' '}
                Live float (real money)
              </label>
            </fieldset>
          ) : (
            <p class="muted">
              <input type="hidden" name="mode" value="test" />
              This credits the test float: this deployment has no live rail.
            </p>
          )}
          <button type="submit" class="button primary">
            Credit float
          </button>
        </PostForm>
      </section>

      <section aria-labelledby="suspension" class="op-form">
        <h2 id="suspension">{card.suspended ? 'Resume' : 'Suspend'}</h2>
        {card.suspended ? (
          <PostForm action={`${base}/resume`} csrf={model.csrf}>
            <p>Resuming lets this provider generate claims again.</p>
            <Input
              name="reason"
              label="Reason for resuming (optional)"
              error={errors.resume_reason}
              id="f-resume_reason"
            />
            <button type="submit" class="button primary">
              Resume
            </button>
          </PostForm>
        ) : (
          <PostForm action={`${base}/suspend`} csrf={model.csrf}>
            <p>
              A suspended provider cannot generate claims, and its open claim links say they are
              unavailable. Payouts already under way still finish.
            </p>
            <Input
              name="reason"
              label="Reason for suspending"
              hint="At least 5 characters; kept in the activity log"
              error={errors.reason}
            />
            <button type="submit" class="button danger">
              Suspend
            </button>
          </PostForm>
        )}
      </section>

      <section aria-labelledby="recent">
        <h2 id="recent">Recent activity</h2>
        <ActivityList items={model.recent} empty="Nothing yet." />
        <p>
          <a href={model.activityHref}>All activity for {card.name}</a>
        </p>
      </section>
    </ConsoleLayout>
  )
}

function SameCard({ model }: { model: ProviderModel }) {
  return (
    <>
      {model.sameCard.map((p, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={p.href}>{p.name}</a>
        </>
      ))}
      {model.sameCardMore > 0 ? ` and ${model.sameCardMore} more` : ''}
    </>
  )
}
