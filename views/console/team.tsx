import type { Child } from 'hono/jsx'
import { ErrorSummary, type Errors, Notice, Select, ShownOnce } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

export interface TeamMemberRow {
  id: string
  email: string
  role: string
  /** "Owner", "Editor", "Viewer". */
  roleLabel: string
  twoFactor: boolean
  joined: string
  isYou: boolean
}

export interface PendingInviteRow {
  id: string
  roleLabel: string
  createdBy: string
  expires: string
}

export interface TeamModel {
  /** Whether the signed-in member may change the team (owners). */
  canManage: boolean
  members: TeamMemberRow[]
  invites: PendingInviteRow[]
  roles: { value: string; label: string }[]
  /** An invite just made: its link is on this page and nowhere else, ever. */
  shown?: { url: string; roleLabel: string; expires: string }
  notice?: string
  errors: Errors
}

/** "an owner", "an editor", "a viewer". */
function article(roleLabel: string) {
  const role = roleLabel.toLowerCase()
  return /^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`
}

/** A form of hidden fields and one button; `confirm` asks before it posts (with script on). */
function ActionForm({
  action,
  csrf,
  fields,
  confirm,
  children,
}: {
  action: string
  csrf: string
  fields: Record<string, string>
  confirm?: string
  children: Child
}) {
  return (
    <form method="post" action={action} class="inline" data-confirm={confirm}>
      <input type="hidden" name="csrf" value={csrf} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  )
}

function MemberActions({ m, model, csrf }: { m: TeamMemberRow; model: TeamModel; csrf: string }) {
  const selectId = `role-${m.id}`
  return (
    <div class="member-actions">
      <ActionForm action="/console/team/role" csrf={csrf} fields={{ member: m.id }}>
        {/* Named without the word "role", so the invite form's "Role" stays the only one. */}
        <label class="visually-hidden" for={selectId}>
          {`Change ${m.email} to`}
        </label>
        <select id={selectId} name="role">
          {model.roles.map((r) => (
            <option value={r.value} selected={r.value === m.role}>
              {r.label}
            </option>
          ))}
        </select>
        <button type="submit" class="button secondary">
          Change role<span class="visually-hidden">{` of ${m.email}`}</span>
        </button>
      </ActionForm>
      <ActionForm
        action="/console/team/remove"
        csrf={csrf}
        fields={{ member: m.id }}
        confirm={
          m.isYou
            ? 'Remove yourself from this team? You will be signed out.'
            : `Remove ${m.email}? They are signed out at once.`
        }
      >
        <button type="submit" class="button danger">
          Remove<span class="visually-hidden">{` ${m.email}`}</span>
        </button>
      </ActionForm>
    </div>
  )
}

function Members({ model, csrf }: { model: TeamModel; csrf: string }) {
  return (
    <div class="table-wrap">
      <table class="rows-on-phone">
        <caption class="visually-hidden">Members of this team</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Joined</th>
            {model.canManage ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {model.members.map((m) => (
            <tr>
              <td data-label="Email" class="mono">
                {m.email}
                {m.isYou ? <span class="you"> (you)</span> : null}
              </td>
              <td data-label="Role">{m.roleLabel}</td>
              <td data-label="Two-factor">{m.twoFactor ? 'On' : 'Off'}</td>
              <td data-label="Joined">{m.joined}</td>
              {model.canManage ? (
                <td data-label="Change">
                  <MemberActions m={m} model={model} csrf={csrf} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Invites({ model, csrf }: { model: TeamModel; csrf: string }) {
  if (model.invites.length === 0) return <p class="muted">No invites are waiting.</p>
  return (
    <div class="table-wrap">
      <table class="rows-on-phone">
        <caption class="visually-hidden">Invites not used yet</caption>
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Made by</th>
            <th scope="col">Expires</th>
            {model.canManage ? <th scope="col">Withdraw</th> : null}
          </tr>
        </thead>
        <tbody>
          {model.invites.map((i) => (
            <tr>
              <td data-label="Role">{i.roleLabel}</td>
              <td data-label="Made by" class="mono">
                {i.createdBy}
              </td>
              <td data-label="Expires">{i.expires}</td>
              {model.canManage ? (
                <td data-label="Withdraw">
                  <ActionForm
                    action="/console/team/revoke"
                    csrf={csrf}
                    fields={{ invite: i.id }}
                    confirm="Withdraw this link? Nobody will be able to use it."
                  >
                    <button type="submit" class="button secondary">
                      Withdraw link
                      <span class="visually-hidden">{` for ${article(i.roleLabel)}, expiring ${i.expires}`}</span>
                    </button>
                  </ActionForm>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function TeamPage({ chrome, model }: { chrome: Chrome; model: TeamModel }) {
  return (
    <ConsoleLayout title="Team" chrome={chrome}>
      <p>
        <a href="/console/account">Your account</a>: your password and two-factor sign-in.
      </p>
      {model.notice ? <Notice kind="success">{model.notice}</Notice> : null}
      <ErrorSummary errors={model.errors} />
      {model.shown ? (
        <>
          <ShownOnce
            label={`Invite link for ${article(model.shown.roleLabel)}`}
            value={model.shown.url}
          />
          <p>
            Send it to them yourself: Cashout sends no email. It works once, until{' '}
            {model.shown.expires}.
          </p>
        </>
      ) : null}
      <h2>Members</h2>
      <Members model={model} csrf={chrome.csrf} />
      <dl class="role-key">
        <div>
          <dt>Owner</dt>
          <dd>everything, including the team, API keys, the float and settings</dd>
        </div>
        <div>
          <dt>Editor</dt>
          <dd>rules, cancelling claims and resending webhooks</dd>
        </div>
        <div>
          <dt>Viewer</dt>
          <dd>reads everything, changes nothing</dd>
        </div>
      </dl>
      {model.canManage ? (
        <>
          <h2>Invite someone</h2>
          <form method="post" action="/console/team/invite" class="invite-form">
            <input type="hidden" name="csrf" value={chrome.csrf} />
            <Select
              name="role"
              label="Role"
              value="viewer"
              options={model.roles}
              hint="You get a link to send them. It works once, for 7 days."
              error={model.errors.role}
            />
            <button type="submit" class="button primary">
              Invite
            </button>
          </form>
        </>
      ) : (
        <p class="muted">Only an owner can invite people, change roles or remove members.</p>
      )}
      <h2>Invites waiting</h2>
      <Invites model={model} csrf={chrome.csrf} />
    </ConsoleLayout>
  )
}
