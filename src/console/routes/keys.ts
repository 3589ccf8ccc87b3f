import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type KeysModel, KeysPage } from '../../../views/console/keys.tsx'
import { isDomainError } from '../../errors/domain-error.ts'
import { createRouter } from '../../http/router.ts'
import { text } from '../../http/text.ts'
import { issueKey, keyName } from '../../keys/issue.ts'
import { listApiKeys } from '../../keys/repository.ts'
import { revokeKey } from '../../keys/revoke.ts'
import { modeName } from '../../modes.ts'
import { displayTime } from '../../page/format.ts'
import {
  assertCan,
  type ConsoleEnv,
  can,
  memberChrome,
  readForm,
  render,
  requireMember,
} from '../http.ts'

type Ctx = Context<ConsoleEnv>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** The same rule as the API's `label`. */
const LABEL = text(100)

const NOTICES: Record<string, string> = {
  revoked: 'The key is revoked: calls with it are refused from now on.',
}

async function showPage(
  c: Ctx,
  extra: Partial<Pick<KeysModel, 'created' | 'problem' | 'labelInput' | 'labelError'>> = {},
  status: ContentfulStatusCode = 200,
) {
  const { deps } = c.var
  const { scope, role } = c.var.console
  const tz = deps.config.displayTimeZone
  const rows = await listApiKeys(deps.db, scope.providerId, scope.livemode)
  const model: KeysModel = {
    mode: modeName(scope.livemode),
    keys: rows.map((k) => ({
      id: k.id,
      name: `${keyName(k)}…`,
      label: k.label ?? 'No label',
      created: displayTime(k.created_at, tz),
      lastUsed: k.last_used_at ? displayTime(k.last_used_at, tz) : 'Never',
      status: k.revoked_at ? `Revoked ${displayTime(k.revoked_at, tz)}` : 'Active',
      active: k.revoked_at === null,
    })),
    canManage: can(role, 'keys.manage'),
    notice: NOTICES[c.req.query('done') ?? ''],
    labelInput: '',
    ...extra,
  }
  return render(c, KeysPage({ chrome: memberChrome(c, 'keys'), model }), status)
}

/**
 * The keys of the session's mode: a test-mode console makes and revokes test keys, a live-mode
 * console live ones (only where the deployment has a live rail).
 */
export function consoleKeysRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/keys', requireMember, (c) => showPage(c))
    .post('/console/keys', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'keys.manage')
      const raw = (form.label ?? '').trim()
      const label = raw === '' ? { success: true as const, data: null } : LABEL.safeParse(raw)
      if (!label.success) {
        const message = label.error.issues[0]?.message ?? 'Must be at most 100 characters.'
        return showPage(c, { labelInput: raw, labelError: message }, 422)
      }
      const { scope, actor } = c.var.console
      const issued = await issueKey({
        deps: c.var.deps,
        providerId: scope.providerId,
        livemode: scope.livemode,
        label: label.data,
        actor,
      })
      // The only time the full key exists outside the caller: this response, never stored.
      return showPage(c, { created: { name: keyName(issued), token: issued.token } }, 201)
    })
    .post('/console/keys/:id/revoke', requireMember, async (c) => {
      await readForm(c)
      assertCan(c, 'keys.manage')
      const id = c.req.param('id')
      const { scope, actor } = c.var.console
      const missing = () => showPage(c, { problem: 'There is no such key.' }, 404)
      if (!UUID.test(id)) return missing()
      try {
        await revokeKey({
          deps: c.var.deps,
          providerId: scope.providerId,
          livemode: scope.livemode,
          keyId: id,
          actor,
        })
      } catch (error) {
        if (isDomainError(error, 'last_active_key')) {
          const problem = `This is your last active ${modeName(scope.livemode)} key, and your systems would have none left. Create another key first, then revoke this one.`
          return showPage(c, { problem }, 409)
        }
        if (isDomainError(error, 'not_found')) return missing()
        throw error
      }
      return c.redirect('/console/keys?done=revoked', 303)
    })
}
