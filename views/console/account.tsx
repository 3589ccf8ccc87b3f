import { ErrorSummary, type Errors, Input, Notice, PostForm, Summary } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

export interface AccountModel {
  email: string
  roleLabel: string
  /** When two-factor was turned on, already formatted; undefined while it is off. */
  twoFactorSince?: string
  passwordChanged: string
  notice?: string
  errors: Errors
}

export function AccountPage({ chrome, model }: { chrome: Chrome; model: AccountModel }) {
  return (
    <ConsoleLayout title="Your account" chrome={chrome}>
      {model.notice ? <Notice kind="success">{model.notice}</Notice> : null}
      <ErrorSummary errors={model.errors} />
      <Summary
        rows={[
          ['Email', <span class="mono">{model.email}</span>],
          ['Role', model.roleLabel],
          ['Password last changed', model.passwordChanged],
          ['Two-factor', model.twoFactorSince ? `On since ${model.twoFactorSince}` : 'Off'],
        ]}
      />
      <h2>Change your password</h2>
      <p>Changing it signs you out everywhere else.</p>
      <PostForm action="/console/account/password" csrf={chrome.csrf}>
        <Input
          name="current_password"
          label="Current password"
          type="password"
          autocomplete="current-password"
          error={model.errors.current_password}
        />
        <Input
          name="new_password"
          label="New password"
          type="password"
          autocomplete="new-password"
          hint="At least 12 characters. A few unrelated words make a strong one."
          error={model.errors.new_password}
        />
        <button type="submit" class="button primary">
          Change password
        </button>
      </PostForm>
      <h2>Two-factor sign-in</h2>
      {model.twoFactorSince ? (
        <>
          <p>
            Signing in asks for a code from your authenticator app. To turn this off, enter a code
            it shows now.
          </p>
          <PostForm action="/console/account/two-factor/off" csrf={chrome.csrf}>
            <Input
              name="code"
              label="Code"
              inputmode="numeric"
              autocomplete="one-time-code"
              short
              error={model.errors.code}
            />
            <button type="submit" class="button danger">
              Turn off two-factor
            </button>
          </PostForm>
        </>
      ) : (
        <>
          <p>
            With two-factor on, signing in also asks for a 6-digit code from an authenticator app on
            your phone (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…), so a
            stolen password alone is not enough.
          </p>
          <p>
            <a class="button secondary" href="/console/account/two-factor">
              Set up two-factor
            </a>
          </p>
        </>
      )}
    </ConsoleLayout>
  )
}

export interface TwoFactorSetupModel {
  /** The secret in groups of four, for typing. */
  grouped: string
  uri: string
  /** The secret sealed for the form, so the one confirmed is the one shown. */
  proposal: string
  errors: Errors
}

export function TwoFactorSetupPage({
  chrome,
  model,
}: {
  chrome: Chrome
  model: TwoFactorSetupModel
}) {
  return (
    <ConsoleLayout title="Set up two-factor" chrome={chrome}>
      <ErrorSummary errors={model.errors} />
      <ol class="steps">
        <li>
          <h2>Add Cashout to your authenticator app</h2>
          <p>In the app, choose to add an account by entering a key, and type this key:</p>
          <p class="otp-key" data-copy>
            {model.grouped}
          </p>
          <p>
            On the phone that has the app, you can instead open{' '}
            <a href={model.uri}>this link to add Cashout to your app</a>. The same link as text:
          </p>
          <p class="mono otp-uri">{model.uri}</p>
        </li>
        <li>
          <h2>Enter the code it shows</h2>
          <PostForm action="/console/account/two-factor" csrf={chrome.csrf}>
            <input type="hidden" name="proposal" value={model.proposal} />
            <Input
              name="code"
              label="Code"
              inputmode="numeric"
              autocomplete="one-time-code"
              hint="6 digits; a new one every 30 seconds."
              short
              error={model.errors.code}
            />
            <button type="submit" class="button primary">
              Turn on two-factor
            </button>
          </PostForm>
        </li>
      </ol>
      <p>
        <a href="/console/account">Back to your account</a> (two-factor stays off).
      </p>
    </ConsoleLayout>
  )
}
