import type { Child } from 'hono/jsx'
import { Field } from '../field.tsx'

/** Field errors by field name, as the console's forms carry them back. */
export type Errors = Record<string, string | undefined>

export function Input({
  name,
  label,
  value,
  hint,
  error,
  type = 'text',
  autocomplete,
  inputmode,
  required,
  short,
  id,
}: {
  name: string
  label: string
  value?: string
  hint?: string
  error?: string
  type?: 'text' | 'email' | 'password' | 'date' | 'search' | 'url'
  autocomplete?: string
  inputmode?: 'numeric' | 'decimal' | 'email' | 'text'
  required?: boolean
  short?: boolean
  id?: string
}) {
  const fieldId = id ?? `f-${name}`
  return (
    <Field id={fieldId} label={label} hint={hint} error={error}>
      {(described, invalid) => (
        <input
          id={fieldId}
          name={name}
          type={type}
          value={type === 'password' ? undefined : value}
          autocomplete={autocomplete}
          inputmode={inputmode}
          required={required}
          class={short ? 'short' : undefined}
          spellcheck={false}
          aria-describedby={described}
          aria-invalid={invalid ? 'true' : undefined}
        />
      )}
    </Field>
  )
}

export function Select({
  name,
  label,
  value,
  options,
  hint,
  error,
  id,
}: {
  name: string
  label: string
  value?: string
  options: { value: string; label: string }[]
  hint?: string
  error?: string
  id?: string
}) {
  const fieldId = id ?? `f-${name}`
  return (
    <Field id={fieldId} label={label} hint={hint} error={error}>
      {(described, invalid) => (
        <select
          id={fieldId}
          name={name}
          aria-describedby={described}
          aria-invalid={invalid ? 'true' : undefined}
        >
          {options.map((o) => (
            <option value={o.value} selected={o.value === value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

/** Lists a form's errors at its top, each linking to its field. */
export function ErrorSummary({ errors }: { errors: Errors }) {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]))
  if (entries.length === 0) return null
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      <h2>There is a problem</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>{field === 'form' ? message : <a href={`#f-${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  )
}

export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'success' | 'warning'
  children: Child
}) {
  return (
    <div class={kind === 'info' ? 'notice' : `notice ${kind}`} role="status">
      {children}
    </div>
  )
}

/** A form with the anti-forgery token, for one action. */
export function PostForm({
  action,
  csrf,
  children,
  inline,
}: {
  action: string
  csrf: string
  children: Child
  inline?: boolean
}) {
  return (
    <form method="post" action={action} class={inline ? 'inline' : undefined}>
      <input type="hidden" name="csrf" value={csrf} />
      {children}
    </form>
  )
}

/** One button that posts, with optional hidden fields. */
export function PostButton({
  action,
  csrf,
  label,
  kind = 'secondary',
  fields = {},
}: {
  action: string
  csrf: string
  label: string
  kind?: 'primary' | 'secondary' | 'danger' | 'link'
  fields?: Record<string, string>
}) {
  return (
    <PostForm action={action} csrf={csrf} inline>
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={`button ${kind}`}>
        {label}
      </button>
    </PostForm>
  )
}

/** A label and value list (claim details, balances). */
export function Summary({ rows }: { rows: [string, Child][] }) {
  return (
    <dl class="summary">
      {rows.map(([term, value]) => (
        <div class="row">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/** A secret shown once (a key, an invite link, a webhook secret), with a copy button. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div class="notice warning">
      <p>
        <strong>{label}</strong> — copy it now: it will not be shown again.
      </p>
      <code class="secret" data-copy>
        {value}
      </code>
    </div>
  )
}
