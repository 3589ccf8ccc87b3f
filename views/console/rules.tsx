import type { HistoryEntry } from '../../src/console/rules-history.ts'
import type { PreviewModel, RulesPageModel } from '../../src/console/rules-model.ts'
import { Field } from '../field.tsx'
import { ErrorSummary, Input, Notice, Select } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

/** The preview's content; also what `GET /console/rules/preview` returns for the script. */
export function RulePreviewContent({ preview }: { preview: PreviewModel }) {
  if (preview.kind === 'prompt') return <p class="muted">{preview.message}</p>
  if (preview.kind === 'problem') return <p class="preview-problem">{preview.message}</p>
  return (
    <div>
      <p class="receives">
        Customer receives <strong>{preview.receives}</strong>
      </p>
      <dl class="summary">
        <div class="row">
          <dt>Value of {preview.points}</dt>
          <dd>{preview.gross}</dd>
        </div>
        <div class="row">
          <dt>Fee</dt>
          <dd>
            {preview.fee} <span class="muted">({preview.feeNote})</span>
          </dd>
        </div>
        <div class="row">
          <dt>Your float gives up</dt>
          <dd>{preview.floatGives}</dd>
        </div>
      </dl>
      {preview.capNote ? <p class="preview-problem">{preview.capNote}</p> : null}
    </div>
  )
}

function History({ entries }: { entries: HistoryEntry[] }) {
  return (
    <ol class="rule-history">
      {entries.map((e) => (
        <li>
          <h3>
            Version {e.version}
            {e.current ? <span class="current-tag">in use</span> : null}
          </h3>
          <p class="muted">
            {e.when} · by <span class="who-made">{e.who}</span>
          </p>
          <ul>
            {e.changes.map((line) => (
              <li>{line}</li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  )
}

export function RulesPage({
  chrome,
  model,
  csrf,
}: {
  chrome: Chrome
  model: RulesPageModel
  csrf: string
}) {
  const { values: v, errors: e } = model
  const mode = model.livemode ? 'live' : 'test'
  const payerOptions = [
    { value: 'provider', label: 'You, from the float' },
    { value: 'customer', label: 'The customer, out of the payout' },
  ]
  return (
    <ConsoleLayout title="Rules" chrome={chrome}>
      {model.notice ? <Notice kind="success">{model.notice}</Notice> : null}
      <p>
        New {mode} claims use version {model.currentVersion}. Claims already made keep the version
        they were priced with.
      </p>
      {model.canEdit ? null : (
        <Notice>
          Your role ({model.role}) can try the preview but cannot change the rule. Ask an owner or
          editor of your team.
        </Notice>
      )}
      <ErrorSummary errors={e} />
      <form
        method="post"
        action="/console/rules"
        class="rule-form"
        data-rule-form
        data-preview="/console/rules/preview"
        novalidate
      >
        <input type="hidden" name="csrf" value={csrf} />
        <fieldset>
          <legend>Rate</legend>
          <p class="hint">How many points give how much cash. Amounts round down to the cent.</p>
          <div class="grid">
            <Input
              name="points"
              label="Points"
              value={v.points}
              inputmode="numeric"
              hint="A whole number, e.g. 100"
              error={e.points}
            />
            <Input
              name="cash"
              label="Cash"
              value={v.cash}
              inputmode="decimal"
              hint="In dollars, e.g. 1.50"
              error={e.cash}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Fee</legend>
          <div class="grid">
            <Input
              name="fee_fixed"
              label="Fixed fee"
              value={v.fee_fixed}
              inputmode="decimal"
              hint="In dollars, per claim"
              error={e.fee_fixed}
            />
            <Input
              name="fee_percent"
              label="Percentage fee"
              value={v.fee_percent}
              inputmode="decimal"
              hint="Percent of the cash, e.g. 1.5"
              error={e.fee_percent}
            />
          </div>
          <Select
            name="fee_payer"
            label="Who pays the fee"
            hint="You: the float pays the fee on top. The customer: the fee comes out of what they receive."
            value={v.fee_payer}
            options={payerOptions}
            error={e.fee_payer}
          />
        </fieldset>
        <fieldset>
          <legend>Points per claim</legend>
          <div class="grid">
            <Input
              name="min_points"
              label="Minimum points"
              value={v.min_points}
              inputmode="numeric"
              hint="1 for no minimum"
              error={e.min_points}
            />
            <Input
              name="max_points"
              label="Maximum points"
              value={v.max_points}
              inputmode="numeric"
              hint="Empty for no maximum"
              error={e.max_points}
            />
            <Input
              name="step_points"
              label="Points in steps of"
              value={v.step_points}
              inputmode="numeric"
              hint="1 allows any amount"
              error={e.step_points}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Caps per customer</legend>
          <p class="hint">
            Cash a customer may receive, in dollars. Empty for no cap. Claims need a customer id
            when a cap is set.
          </p>
          <div class="grid">
            <Input
              name="cap_daily"
              label="Daily cap"
              value={v.cap_daily}
              inputmode="decimal"
              error={e.cap_daily}
            />
            <Input
              name="cap_30d"
              label="30-day cap"
              value={v.cap_30d}
              inputmode="decimal"
              error={e.cap_30d}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Claim links</legend>
          <DurationField
            name="lifetime"
            label="Link lifetime"
            hint="How long a customer's link stays open: 5 minutes to 30 days."
            value={v.lifetime}
            unit={v.lifetime_unit}
            units={model.lifetimeUnits}
            error={e.lifetime ?? e.lifetime_unit}
          />
          <DurationField
            name="reminder"
            label="Expiry reminder"
            hint="How long before a link lapses to send you claim.expiring, once, so you can remind the customer. Empty for none."
            value={v.reminder}
            unit={v.reminder_unit}
            units={model.reminderUnits}
            error={e.reminder ?? e.reminder_unit}
          />
        </fieldset>
        <section class="rule-preview" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <p class="hint">
            What a claim would pay under the rule as typed above, before you save it.
          </p>
          <div class="try">
            <Input
              name="try_points"
              label="Try points"
              value={model.tryPoints}
              inputmode="numeric"
              short
            />
            {/* Without the script the page comes back scrolled to the figures. */}
            <button
              type="submit"
              name="intent"
              value="preview"
              formaction="/console/rules#rule-preview"
              class="button secondary"
            >
              Preview
            </button>
          </div>
          <div id="rule-preview" class="preview" aria-live="polite">
            <RulePreviewContent preview={model.preview} />
          </div>
        </section>
        {model.canEdit ? (
          <div class="actions">
            <button type="submit" name="intent" value="save" class="button primary">
              Save rule
            </button>
            <span class="muted">Saving makes version {model.currentVersion + 1}.</span>
          </div>
        ) : null}
      </form>
      <h2>History</h2>
      <History entries={model.history} />
    </ConsoleLayout>
  )
}

/** A number and its unit (minutes, hours, days), labelled as one field. */
function DurationField(props: {
  name: string
  label: string
  hint: string
  value: string | undefined
  unit: string | undefined
  units: { value: string; label: string }[]
  error: string | undefined
}) {
  const id = `f-${props.name}`
  return (
    <Field id={id} label={props.label} hint={props.hint} error={props.error}>
      {(described, invalid) => (
        <div class="lifetime">
          <input
            id={id}
            name={props.name}
            type="text"
            inputmode="numeric"
            value={props.value}
            spellcheck={false}
            aria-describedby={described}
            aria-invalid={invalid ? 'true' : undefined}
          />
          <label for={`${id}_unit`} class="visually-hidden">
            {props.label} unit
          </label>
          <select id={`${id}_unit`} name={`${props.name}_unit`}>
            {props.units.map((o) => (
              <option value={o.value} selected={o.value === props.unit}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  )
}
