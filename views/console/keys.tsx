import { ErrorSummary, Input, Notice, PostForm, ShownOnce } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

export interface KeyRowModel {
  id: string
  /** The public part, e.g. `ck_test_abcdefghijkl…`. */
  name: string
  label: string
  created: string
  lastUsed: string
  /** "Active", or "Revoked 29 Nov 2026, …". */
  status: string
  active: boolean
}

export interface KeysModel {
  mode: 'test' | 'live'
  keys: KeyRowModel[]
  canManage: boolean
  notice?: string
  /** A refusal to show at the top, e.g. the last active key. */
  problem?: string
  /** A key just made, shown this once. */
  created?: { name: string; token: string }
  labelInput: string
  labelError?: string
}

function KeyTable({ model, csrf }: { model: KeysModel; csrf: string }) {
  return (
    <div class="table-wrap">
      <table class="stack">
        <caption class="visually-hidden">API keys for {model.mode} data</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            {model.canManage ? (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {model.keys.map((k) => (
            <tr class={k.active ? undefined : 'revoked'}>
              <th scope="row" data-label="Label">
                {k.label}
              </th>
              <td data-label="Key">
                <span class="mono key-name">{k.name}</span>
              </td>
              <td data-label="Created">{k.created}</td>
              <td data-label="Last used">{k.lastUsed}</td>
              <td data-label="Status">{k.status}</td>
              {model.canManage ? (
                <td data-label="">
                  {k.active ? (
                    <form
                      method="post"
                      action={`/console/keys/${k.id}/revoke`}
                      class="inline"
                      data-confirm={`Revoke ${k.name}? Anything that uses it stops working at once.`}
                    >
                      <input type="hidden" name="csrf" value={csrf} />
                      <button type="submit" class="button danger">
                        Revoke<span class="visually-hidden">{` ${k.label} (${k.name})`}</span>
                      </button>
                    </form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function KeysPage({ chrome, model }: { chrome: Chrome; model: KeysModel }) {
  return (
    <ConsoleLayout title="API keys" chrome={chrome}>
      {model.notice ? <Notice kind="success">{model.notice}</Notice> : null}
      {model.problem ? (
        <div class="error-summary" role="alert">
          <h2>Could not do that</h2>
          <p>{model.problem}</p>
        </div>
      ) : null}
      {model.created ? (
        <ShownOnce label={`Your new key ${model.created.name}`} value={model.created.token} />
      ) : null}
      <ErrorSummary errors={{ label: model.labelError }} />
      <p>
        Your systems call Cashout with these keys, each sent in an{' '}
        <span class="mono">Authorization: Bearer</span> header. Only each key’s public part is kept;
        a key is shown in full once, when it is made. These are the {model.mode} keys:{' '}
        {model.mode === 'live'
          ? 'they move real money.'
          : 'their claims pay through the sandbox and no money moves.'}
      </p>
      {model.keys.length === 0 ? (
        <p>No keys yet.</p>
      ) : (
        <KeyTable model={model} csrf={chrome.csrf} />
      )}
      {model.canManage ? (
        <>
          <h2>Create key</h2>
          <div class="form-block">
            <PostForm action="/console/keys" csrf={chrome.csrf}>
              <Input
                name="label"
                label="Label"
                value={model.labelInput}
                error={model.labelError}
                hint="Optional: where the key is used, e.g. “Shop server”, to tell keys apart."
              />
              {model.mode === 'live' ? (
                <p class="notice warning">This makes a live key: it moves real money.</p>
              ) : null}
              <button type="submit" class="button primary">
                Create key
              </button>
            </PostForm>
          </div>
          <p class="muted">
            To rotate a key, create a new one, move your systems over, then revoke the old one. The
            last active key cannot be revoked.
          </p>
        </>
      ) : (
        <p class="muted">Only owners create and revoke keys.</p>
      )}
    </ConsoleLayout>
  )
}
