import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { FloatPage } from '../../../views/console/float.tsx'
import { DomainError, isDomainError } from '../../errors/domain-error.ts'
import { csvHeaders } from '../../http/csv.ts'
import { decodeCursor, type Position } from '../../http/cursor.ts'
import { createRouter } from '../../http/router.ts'
import { setFloatThreshold } from '../../ledger/float-alert.ts'
import { statementCsv, statementFilename } from '../../ledger/statement.ts'
import { floatModel, loadFloat, parseThreshold } from '../float-model.ts'
import {
  assertCan,
  type ConsoleEnv,
  can,
  fieldErrors,
  memberChrome,
  readForm,
  render,
  requireMember,
} from '../http.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

async function floatPage(
  c: Context<ConsoleEnv>,
  options: { before?: Position; done?: string; typed?: string; error?: string },
  status: ContentfulStatusCode = 200,
) {
  const { deps } = c.var
  const { scope, role } = c.var.console
  const data = await loadFloat(deps.db, scope, options.before)
  const model = floatModel(data, {
    timeZone: deps.config.displayTimeZone,
    canManage: can(role, 'float.manage'),
    ...options,
  })
  return render(c, FloatPage({ chrome: memberChrome(c, 'float'), model }), status)
}

/** The float section of the store owner's console. */
export function consoleFloatRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/float', requireMember, async (c) => {
      const cursor = c.req.query('cursor')
      let before: Position | undefined
      try {
        before = cursor ? decodeCursor(cursor, UUID) : undefined
      } catch {
        throw new DomainError('validation_failed', {
          message:
            'That page link is not one the console made. Open Float again for the newest entries.',
        })
      }
      return floatPage(c, { before, done: c.req.query('done') })
    })
    .post('/console/float/threshold', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'float.manage')
      const typed = form.action === 'clear' ? '' : (form.threshold ?? '')
      const parsed = parseThreshold(typed)
      if (!parsed.ok) return floatPage(c, { typed, error: parsed.error }, 422)
      try {
        const result = await setFloatThreshold({
          deps: c.var.deps,
          scope: c.var.console.scope,
          thresholdMinor: parsed.minor,
          actor: c.var.console.actor,
        })
        const done = parsed.minor === null ? 'cleared' : result.alerted ? 'alerted' : 'saved'
        return c.redirect(`/console/float?done=${done}`, 303)
      } catch (error) {
        if (!isDomainError(error, 'validation_failed')) throw error
        const message = fieldErrors(error.details).threshold_minor ?? error.message
        return floatPage(c, { typed, error: message }, 422)
      }
    })
    .get('/console/statement.csv', requireMember, async (c) => {
      const { deps } = c.var
      const { scope } = c.var.console
      const body = statementCsv(deps.db, scope, { currency: 'AUD' })
      return c.body(body, 200, csvHeaders(statementFilename(scope, deps.clock.now())))
    })
}
