import { Field } from '../field.tsx'
import { TextInput } from './fields.tsx'
import type { FormModel, Translator } from './model.ts'

const ORDER = ['type', 'payid_type', 'payid', 'account_name', 'bsb', 'account_number']

function ErrorSummary({ t, errors }: { t: Translator; errors: Record<string, string> }) {
  const listed = ORDER.filter((field) => errors[field])
  return (
    <div
      class="error-summary"
      role="alert"
      tabindex={-1}
      aria-labelledby="error-summary-title"
      data-error-summary
    >
      <h2 id="error-summary-title">{t.t('form.problem')}</h2>
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

const PAYID_TYPES = ['email', 'mobile', 'abn', 'org_id'] as const

/** Step one: where the money goes. Works without scripts: both sets of fields show. */
export function DestinationForm({ t, form }: { t: Translator; form: FormModel }) {
  const { errors, values } = form
  const type = values.type === 'bank' ? 'bank' : 'payid'
  const errorLabel = t.t('form.error')
  return (
    <form method="post" action={form.action} novalidate data-destination data-keep-language>
      {Object.keys(errors).length > 0 ? <ErrorSummary t={t} errors={errors} /> : null}
      {form.retryReason ? (
        <div class="notice" role="status">
          <h2>{t.t('form.retry')}</h2>
          <p>{form.retryReason}</p>
        </div>
      ) : null}
      <input type="hidden" name="csrf" value={form.csrf} />
      <fieldset class="choice">
        <legend>{t.t('form.where')}</legend>
        <div class="radio">
          <input
            type="radio"
            id="type-payid"
            name="type"
            value="payid"
            checked={type === 'payid'}
          />
          <label for="type-payid">{t.t('form.to_payid')}</label>
        </div>
        <div class="radio">
          <input type="radio" id="type-bank" name="type" value="bank" checked={type === 'bank'} />
          <label for="type-bank">{t.t('form.to_bank')}</label>
        </div>
      </fieldset>
      <fieldset id="payid-fields" class="section" data-section="payid">
        <legend>{t.t('form.payid_section')}</legend>
        <Field
          id="payid_type"
          label={t.t('form.payid_type')}
          error={errors.payid_type}
          errorLabel={errorLabel}
        >
          {(described, invalid) => (
            <select
              id="payid_type"
              name="payid_type"
              aria-describedby={described}
              aria-invalid={invalid ? 'true' : undefined}
            >
              {PAYID_TYPES.map((value) => (
                <option value={value} selected={values.payid_type === value}>
                  {t.t(`payid_type.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextInput
          id="payid"
          name="payid"
          label={t.t('form.payid')}
          hint={t.t('form.payid_hint')}
          value={values.payid}
          error={errors.payid}
          errorLabel={errorLabel}
          ltr
        />
      </fieldset>
      <fieldset id="bank-fields" class="section" data-section="bank">
        <legend>{t.t('form.bank_section')}</legend>
        <TextInput
          id="account_name"
          name="account_name"
          label={t.t('form.account_name')}
          hint={t.t('form.account_name_hint')}
          value={values.account_name}
          error={errors.account_name}
          errorLabel={errorLabel}
          autocomplete="name"
          ltr
        />
        <TextInput
          id="bsb"
          name="bsb"
          label={t.t('form.bsb')}
          hint={t.t('form.bsb_hint')}
          value={values.bsb}
          error={errors.bsb}
          errorLabel={errorLabel}
          inputMode="numeric"
          ltr
        />
        <TextInput
          id="account_number"
          name="account_number"
          label={t.t('form.account_number')}
          hint={t.t('form.account_number_hint')}
          value={values.account_number}
          error={errors.account_number}
          errorLabel={errorLabel}
          inputMode="numeric"
          ltr
        />
      </fieldset>
      <button type="submit" name="action" value="continue" class="button primary">
        {t.t('form.continue')}
      </button>
    </form>
  )
}
