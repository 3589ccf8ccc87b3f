import { Field } from '../field.tsx'
import { TextInput } from './fields.tsx'
import type { FormModel } from './model.ts'

const ORDER = ['type', 'payid_type', 'payid', 'account_name', 'bsb', 'account_number']

function ErrorSummary({ errors }: { errors: Record<string, string> }) {
  const listed = ORDER.filter((field) => errors[field])
  return (
    <div
      class="error-summary"
      role="alert"
      tabindex={-1}
      aria-labelledby="error-summary-title"
      data-error-summary
    >
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {listed.map((field) => (
          <li>
            <a href={`#${field === 'type' ? 'type-payid' : field}`}>{errors[field]}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}

const PAYID_TYPES = [
  ['email', 'Email address'],
  ['mobile', 'Mobile number'],
  ['abn', 'ABN'],
  ['org_id', 'Organisation ID'],
] as const

/** Step one: where the money goes. Works without scripts: both sets of fields show. */
export function DestinationForm({ form }: { form: FormModel }) {
  const { errors, values } = form
  const type = values.type === 'bank' ? 'bank' : 'payid'
  return (
    <form method="post" action={form.action} novalidate data-destination>
      {Object.keys(errors).length > 0 ? <ErrorSummary errors={errors} /> : null}
      {form.retryReason ? (
        <div class="notice" role="status">
          <h2>Use a different account</h2>
          <p>{form.retryReason}</p>
        </div>
      ) : null}
      <input type="hidden" name="csrf" value={form.csrf} />
      <fieldset class="choice">
        <legend>Where should we send your money?</legend>
        <div class="radio">
          <input
            type="radio"
            id="type-payid"
            name="type"
            value="payid"
            checked={type === 'payid'}
          />
          <label for="type-payid">To a PayID</label>
        </div>
        <div class="radio">
          <input type="radio" id="type-bank" name="type" value="bank" checked={type === 'bank'} />
          <label for="type-bank">To a bank account</label>
        </div>
      </fieldset>
      <fieldset id="payid-fields" class="section" data-section="payid">
        <legend>PayID</legend>
        <Field id="payid_type" label="PayID type" error={errors.payid_type}>
          {(described, invalid) => (
            <select
              id="payid_type"
              name="payid_type"
              aria-describedby={described}
              aria-invalid={invalid ? 'true' : undefined}
            >
              {PAYID_TYPES.map(([value, label]) => (
                <option value={value} selected={values.payid_type === value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextInput
          id="payid"
          name="payid"
          label="PayID"
          hint="The email, mobile number, ABN or organisation ID your bank has as your PayID."
          value={values.payid}
          error={errors.payid}
        />
      </fieldset>
      <fieldset id="bank-fields" class="section" data-section="bank">
        <legend>Bank account</legend>
        <TextInput
          id="account_name"
          name="account_name"
          label="Account name"
          hint="As it appears on the account: letters, digits, spaces and apostrophes."
          value={values.account_name}
          error={errors.account_name}
          autocomplete="name"
        />
        <TextInput
          id="bsb"
          name="bsb"
          label="BSB"
          hint="6 digits, like 062-000."
          value={values.bsb}
          error={errors.bsb}
          inputMode="numeric"
        />
        <TextInput
          id="account_number"
          name="account_number"
          label="Account number"
          hint="4 to 9 digits."
          value={values.account_number}
          error={errors.account_number}
          inputMode="numeric"
        />
      </fieldset>
      <button type="submit" name="action" value="continue" class="button primary">
        Continue
      </button>
    </form>
  )
}
