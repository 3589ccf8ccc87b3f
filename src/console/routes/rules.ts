import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { RulePreviewContent, RulesPage } from '../../../views/console/rules.tsx'
import { createRouter } from '../../http/router.ts'
import { currentRule, listRuleVersions } from '../../rules/repository.ts'
import { setRule } from '../../rules/set.ts'
import {
  assertCan,
  type ConsoleEnv,
  can,
  memberChrome,
  readForm,
  render,
  requireMember,
} from '../http.ts'
import { formFromRule, formValues, parseRuleForm, type RuleFormValues } from '../rules-form.ts'
import { previewModel, rulesPageModel } from '../rules-model.ts'

type Ctx = Context<ConsoleEnv>

/** The page with the given form values (the saved rule's, or what was just typed). */
async function rulesPage(
  c: Ctx,
  typed: { values: RuleFormValues; tryPoints: string } | undefined,
  options: { saved?: number; status?: ContentfulStatusCode } = {},
) {
  const { deps, console: member } = c.var
  const versions = await listRuleVersions(deps.db, member.scope)
  const current = versions[0]
  if (!current) throw new Error('a provider always has a rule')
  const values = typed?.values ?? formFromRule(current)
  const model = rulesPageModel({
    versions,
    values,
    // The saved rule is shown as it is; only what was typed needs reading.
    parsed: typed ? parseRuleForm(values) : { ok: true, fields: current },
    tryPoints: typed?.tryPoints ?? '',
    timeZone: deps.config.displayTimeZone,
    livemode: member.scope.livemode,
    canEdit: can(member.role, 'rules.edit'),
    role: member.role,
    saved: options.saved,
  })
  return render(
    c,
    RulesPage({ chrome: memberChrome(c, 'rules'), model, csrf: c.var.csrf }),
    options.status ?? (Object.keys(model.errors).length > 0 ? 422 : 200),
  )
}

/**
 * The rules section: the current rule as a form, a preview priced by the same code as
 * `/cashout/quote`, saving through `setRule` (as `PUT /cashout/rules` does), and the history.
 */
export function consoleRulesRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/rules', requireMember, async (c) => {
      const saved = /^[1-9]\d{0,8}$/.exec(c.req.query('saved') ?? '')
      return rulesPage(c, undefined, { saved: saved ? Number(saved[0]) : undefined })
    })
    .post('/console/rules', requireMember, async (c) => {
      const form = await readForm(c)
      const values = formValues(form)
      const typed = { values, tryPoints: (form.try_points ?? '').slice(0, 40) }
      // Enter in a field submits the first button, Preview: only the Save button saves.
      if (form.intent !== 'save') return rulesPage(c, typed)
      assertCan(c, 'rules.edit')
      const parsed = parseRuleForm(values)
      if (!parsed.ok) return rulesPage(c, typed, { status: 422 })
      const { deps, console: member } = c.var
      const rule = await setRule({
        deps,
        scope: member.scope,
        fields: parsed.fields,
        actor: member.actor,
      })
      return c.redirect(`/console/rules?saved=${rule.version}`, 303)
    })
    .get('/console/rules/preview', requireMember, async (c) => {
      // For the page's script: the preview's content for the form as typed, nothing saved.
      const query = c.req.query()
      const parsed = parseRuleForm(formValues(query))
      const current = await currentRule(c.var.deps.db, c.var.console.scope)
      const preview = previewModel(
        parsed.ok ? parsed.fields : undefined,
        current.version,
        (query.try_points ?? '').slice(0, 40),
      )
      return c.html(RulePreviewContent({ preview }))
    })
}
