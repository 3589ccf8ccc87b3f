import { ErrorSummary, type Errors, Input, Notice, PostForm, Summary } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

export interface SettingsModel {
  /** The form's values: the saved ones, or what was just sent back with errors. */
  values: { display_name: string; accent_colour: string; support_contact: string }
  errors: Errors
  canEdit: boolean
  notice?: string
  /** Set while the operator has suspended the provider. */
  suspended?: string
  /** The name the claim page shows when no display name is set. */
  defaultName: string
  /** Where a display name or support contact asked for stands with the operator, while it does not show. */
  reviews: string[]
  preview: {
    name: string
    /** The saved accent's stylesheet (scoped to `.provider-theme`). */
    stylesheet?: string
    support?: { text: string; href: string }
    /** "White text on #5b1a8f: 10.05:1 (4.5:1 needed)". */
    contrast?: string
  }
}

/** A small copy of the claim page's top, in the saved colours; the script follows the form. */
function Preview({
  preview,
  defaultName,
}: {
  preview: SettingsModel['preview']
  defaultName: string
}) {
  return (
    <section class="claim-preview provider-theme" aria-labelledby="preview-title" data-preview>
      {preview.stylesheet ? <link rel="stylesheet" href={preview.stylesheet} /> : null}
      <h2 id="preview-title">What your customers see</h2>
      <div class="preview-offer">
        <p class="preview-provider" data-preview-name data-default={defaultName}>
          {preview.name}
        </p>
        <p class="preview-amount">
          $25.00 <span class="muted">for 2,500 points</span>
        </p>
      </div>
      <span class="button primary preview-button" aria-hidden="true">
        Cash out
      </span>
      <p data-preview-support hidden={preview.support ? undefined : true}>
        Need help?{' '}
        <span class="preview-link" data-preview-contact>
          {preview.support?.text ?? ''}
        </span>
      </p>
      <p class="muted" data-contrast aria-live="polite">
        {preview.contrast ?? 'Cashout’s own green is used until you choose an accent colour.'}
      </p>
    </section>
  )
}

function SettingsForm({ model, csrf }: { model: SettingsModel; csrf: string }) {
  const { values, errors } = model
  return (
    <PostForm action="/console/settings" csrf={csrf}>
      <Input
        name="display_name"
        label="Display name"
        value={values.display_name}
        error={errors.display_name}
        hint={`Shown to customers instead of “${model.defaultName}”: 1 to 60 characters. Leave empty to use that name.`}
      />
      <Input
        name="accent_colour"
        label="Accent colour"
        value={values.accent_colour}
        error={errors.accent_colour}
        short
        hint="The claim page’s button and heading colour, written #rrggbb (e.g. #5b1a8f). White text on it must reach a contrast ratio of 4.5:1. Leave empty for Cashout’s green."
      />
      <Input
        name="support_contact"
        label="Support contact"
        value={values.support_contact}
        error={errors.support_contact}
        hint="Shown as “Need help?” once the operator approves it: an email address, an https:// web address, or an Australian phone number (like 1300 123 456). Leave empty to show none."
      />
      <button type="submit" class="button primary">
        Save settings
      </button>
    </PostForm>
  )
}

export function SettingsPage({ chrome, model }: { chrome: Chrome; model: SettingsModel }) {
  const { values } = model
  return (
    <ConsoleLayout title="Settings" chrome={chrome}>
      {model.notice ? <Notice kind="success">{model.notice}</Notice> : null}
      {model.suspended ? <Notice kind="warning">{model.suspended}</Notice> : null}
      {model.reviews.map((review) => (
        <Notice kind="info">{review}</Notice>
      ))}
      <ErrorSummary errors={model.errors} />
      <p>
        How the claim page looks to your customers, in test and live data alike. Changes show on
        every open link at once.
      </p>
      <div class="settings-grid">
        <div>
          {model.canEdit ? (
            <SettingsForm model={model} csrf={chrome.csrf} />
          ) : (
            <>
              <Summary
                rows={[
                  ['Display name', values.display_name || `None (shows “${model.defaultName}”)`],
                  ['Accent colour', values.accent_colour || 'None (Cashout’s green)'],
                  ['Support contact', values.support_contact || 'None'],
                ]}
              />
              <p class="muted">Only owners change these settings.</p>
            </>
          )}
        </div>
        <Preview preview={model.preview} defaultName={model.defaultName} />
      </div>
    </ConsoleLayout>
  )
}
