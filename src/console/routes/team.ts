import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type TeamModel, TeamPage } from '../../../views/console/team.tsx'
import type { Member, MemberRole } from '../../db/schema.ts'
import { DomainError, isDomainError } from '../../errors/domain-error.ts'
import { createRouter } from '../../http/router.ts'
import { displayTime } from '../../page/format.ts'
import {
  assertCan,
  type ConsoleEnv,
  can,
  clearSessionCookie,
  memberChrome,
  readForm,
  render,
  requireMember,
} from '../http.ts'
import { issueLink, listPendingInvites, revokeInvite } from '../links.ts'
import { changeRole, listMembers, removeMember } from '../members.ts'

type Ctx = Context<ConsoleEnv>

export const ROLE_LABELS: Record<MemberRole, string> = {
  owner: 'Owner',
  editor: 'Editor',
  viewer: 'Viewer',
}
const ROLES = Object.keys(ROLE_LABELS) as MemberRole[]
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What each `?done=` after a change says; only these words, never text from the address. */
const DONE: Record<string, string> = {
  role: 'The role is changed.',
  demoted: 'Your role is changed. The owner’s parts of the console are closed to you now.',
  removed: 'The member is removed and signed out.',
  revoked: 'The invite link is withdrawn.',
}

const LAST_OWNER =
  'A team keeps at least one owner, so the last one cannot be removed or given another role. Make another member an owner first.'

const NO_ROLE = 'Choose owner, editor or viewer.'

function roleOf(value: string | undefined): MemberRole | undefined {
  return ROLES.includes(value as MemberRole) ? (value as MemberRole) : undefined
}

/** A member or invite id from a form; anything else is a member that does not exist. */
function idOf(value: string | undefined, what: string): string {
  if (value && UUID.test(value)) return value
  throw new DomainError('not_found', { message: `No such ${what}.` })
}

export function teamModel(input: {
  members: Member[]
  invites: Awaited<ReturnType<typeof listPendingInvites>>
  me: string
  canManage: boolean
  timeZone: string
}): Omit<TeamModel, 'errors'> {
  return {
    canManage: input.canManage,
    members: input.members.map((m) => ({
      id: m.id,
      email: m.email,
      role: m.role,
      roleLabel: ROLE_LABELS[m.role],
      twoFactor: m.totp_enabled_at !== null,
      joined: displayTime(m.created_at, input.timeZone),
      isYou: m.id === input.me,
    })),
    invites: input.invites.map((i) => ({
      id: i.id,
      roleLabel: ROLE_LABELS[i.role],
      createdBy: i.created_by,
      expires: displayTime(i.expires_at, input.timeZone),
    })),
    roles: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
  }
}

async function teamPage(
  c: Ctx,
  extra: Partial<Pick<TeamModel, 'shown' | 'notice' | 'errors'>> = {},
  status: ContentfulStatusCode = 200,
) {
  const { deps } = c.var
  const { provider, member, role } = c.var.console
  const members = await listMembers(deps.db, provider.id)
  const invites = await listPendingInvites(deps.db, provider.id, deps.clock.now())
  const model = teamModel({
    members,
    invites,
    me: member.id,
    canManage: can(role, 'team.manage'),
    timeZone: deps.config.displayTimeZone,
  })
  return render(
    c,
    TeamPage({ chrome: memberChrome(c, 'team'), model: { ...model, errors: {}, ...extra } }),
    status,
  )
}

/** The team: members and their roles, invites, and (for owners) changing them. */
export function consoleTeamRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/team', requireMember, async (c) => {
      const done = c.req.query('done')
      return teamPage(c, { notice: done ? DONE[done] : undefined })
    })
    .post('/console/team/invite', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'team.manage')
      const { deps } = c.var
      const role = roleOf(form.role)
      if (!role) return teamPage(c, { errors: { role: NO_ROLE } }, 422)
      const link = await issueLink(deps.db, {
        providerId: c.var.console.provider.id,
        kind: 'invite',
        role,
        actor: c.var.console.actor,
        publicUrl: deps.config.publicUrl,
        now: deps.clock.now(),
      })
      const shown = {
        url: link.url,
        roleLabel: ROLE_LABELS[role],
        expires: displayTime(link.expiresAt, deps.config.displayTimeZone),
      }
      return teamPage(c, { shown })
    })
    .post('/console/team/role', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'team.manage')
      const { provider, member, actor } = c.var.console
      const memberId = idOf(form.member, 'team member')
      const role = roleOf(form.role)
      if (!role) return teamPage(c, { errors: { form: NO_ROLE } }, 422)
      try {
        await changeRole({ deps: c.var.deps, providerId: provider.id, memberId, role, actor })
      } catch (error) {
        if (!isDomainError(error, 'last_owner')) throw error
        return teamPage(c, { errors: { form: LAST_OWNER } }, 409)
      }
      const demotedSelf = memberId === member.id && role !== 'owner'
      return c.redirect(`/console/team?done=${demotedSelf ? 'demoted' : 'role'}`, 303)
    })
    .post('/console/team/remove', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'team.manage')
      const { provider, member, actor } = c.var.console
      const memberId = idOf(form.member, 'team member')
      try {
        await removeMember({ deps: c.var.deps, providerId: provider.id, memberId, actor })
      } catch (error) {
        if (!isDomainError(error, 'last_owner')) throw error
        return teamPage(c, { errors: { form: LAST_OWNER } }, 409)
      }
      if (memberId === member.id) {
        // An owner who removed themselves has no session left: say so on the way out.
        clearSessionCookie(c)
        return c.redirect('/console/sign-in?signed_out', 303)
      }
      return c.redirect('/console/team?done=removed', 303)
    })
    .post('/console/team/revoke', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'team.manage')
      await revokeInvite({
        deps: c.var.deps,
        providerId: c.var.console.provider.id,
        linkId: idOf(form.invite, 'invite'),
        actor: c.var.console.actor,
      })
      return c.redirect('/console/team?done=revoked', 303)
    })
}
