import { ErrorSummary, type Errors, Input, Notice, PostForm } from './components.tsx'
import { type ConsoleAssets, PlainLayout } from './layout.tsx'

interface FormProps {
  assets: ConsoleAssets
  csrf: string
  errors: Errors
}

export function SignInPage({
  assets,
  csrf,
  errors,
  email,
  notice,
}: FormProps & { email?: string; notice?: string }) {
  return (
    <PlainLayout title="Sign in" assets={assets}>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary errors={errors} />
      <PostForm action="/console/sign-in" csrf={csrf}>
        <Input name="email" label="Email" type="email" autocomplete="username" value={email} />
        <Input
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          hint="After 5 wrong passwords an account rests for 15 minutes."
        />
        <button type="submit" class="button primary">
          Sign in
        </button>
      </PostForm>
      <p class="muted">
        New here? Your first sign-in is through the setup or invite link you were given. Running
        Cashout? <a href="/console/operator">Operator sign-in</a>.
      </p>
    </PlainLayout>
  )
}

export function JoinPage({
  assets,
  csrf,
  errors,
  action,
  providerName,
  role,
  email,
}: FormProps & { action: string; providerName: string; role: string; email?: string }) {
  return (
    <PlainLayout title="Create your console account" assets={assets}>
      <p>
        You are joining <strong>{providerName}</strong> as {role === 'owner' ? 'an' : 'a'}{' '}
        <strong>{role}</strong>. This link works once.
      </p>
      <ErrorSummary errors={errors} />
      <PostForm action={action} csrf={csrf}>
        <Input name="email" label="Email" type="email" autocomplete="username" value={email} />
        <Input
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          hint="At least 12 characters. A few unrelated words make a strong one."
        />
        <button type="submit" class="button primary">
          Create account
        </button>
      </PostForm>
    </PlainLayout>
  )
}

export function SecondFactorPage({ assets, csrf, errors }: FormProps) {
  return (
    <PlainLayout title="Two-factor code" assets={assets}>
      <p>Open your authenticator app and enter the 6-digit code it shows for Cashout.</p>
      <ErrorSummary errors={errors} />
      <PostForm action="/console/two-factor" csrf={csrf}>
        <Input
          name="code"
          label="Code"
          inputmode="numeric"
          autocomplete="one-time-code"
          short
          error={errors.code}
        />
        <button type="submit" class="button primary">
          Sign in
        </button>
      </PostForm>
      <p class="muted">No code at hand? Start again with another account:</p>
      <PostForm action="/console/sign-out" csrf={csrf}>
        <button type="submit" class="button secondary">
          Start again
        </button>
      </PostForm>
    </PlainLayout>
  )
}

export function OperatorSignInPage({ assets, csrf, errors }: FormProps) {
  return (
    <PlainLayout title="Operator sign-in" assets={assets}>
      <p>For whoever runs this Cashout. Enter the OPERATOR_TOKEN it was started with.</p>
      <ErrorSummary errors={errors} />
      <PostForm action="/console/operator/sign-in" csrf={csrf}>
        <Input
          name="token"
          label="Operator token"
          type="password"
          autocomplete="current-password"
        />
        <button type="submit" class="button primary">
          Sign in
        </button>
      </PostForm>
      <p class="muted">
        A store owner? <a href="/console/sign-in">Sign in here</a>.
      </p>
    </PlainLayout>
  )
}

/** Any page that only says something: an expired link, a refused form, a missing page. */
export function MessagePage({
  assets,
  title,
  message,
  link,
}: {
  assets: ConsoleAssets
  title: string
  message: string
  link?: { href: string; label: string }
}) {
  return (
    <PlainLayout title={title} assets={assets}>
      <p>{message}</p>
      {link ? (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      ) : null}
    </PlainLayout>
  )
}
