import * as claims from './console/claims.ts'
import * as float from './console/float.ts'
import * as operator from './console/operator.ts'
import * as rules from './console/rules.ts'
import * as team from './console/team.ts'
import * as webhooks from './console/webhooks.ts'

/** The sections' own parts, joined after the shared ones. */
export const SECTION_ASSETS = [rules, claims, float, webhooks, team, operator]

/** The console's one stylesheet: readable on a phone first, wider tables and a side bar at 64rem. */
const baseCss = `
:root {
  --ink: #1b1b1f; --muted: #4a4f57; --paper: #ffffff; --panel: #f3f5f8; --line: #b7bec8;
  --brand: #0a5c36; --brand-dark: #073f25; --error: #b00020; --focus: #ffbf47; --info: #0b4f8a;
  --warn-bg: #fff4ce; --warn-ink: #3d2e00; --live: #5b1a8f;
  color-scheme: light;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 100%; line-height: 1.5; color: var(--ink); background: var(--paper);
  -webkit-text-size-adjust: 100%;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--info); text-underline-offset: 0.15em; }
h1, h2, h3 { line-height: 1.2; margin: 0 0 0.75rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 1.5rem; } h3 { font-size: 1.05rem; }
p { margin: 0 0 0.75rem; }
:focus-visible { outline: 3px solid var(--ink); outline-offset: 0; box-shadow: 0 0 0 6px var(--focus); }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 0.5rem; top: 0.5rem; background: var(--paper); padding: 0.5rem; z-index: 2; }

.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; padding: 0.6rem 1rem;
  border-bottom: 1px solid var(--line); background: var(--panel); }
.top .brand { font-weight: 800; color: var(--ink); text-decoration: none; margin-right: auto; }
.top .who { color: var(--muted); font-size: 0.9rem; overflow-wrap: anywhere; }
.mode { display: inline-flex; align-items: center; gap: 0.4rem; }
.badge { display: inline-block; border-radius: 999px; padding: 0.1rem 0.6rem; font-size: 0.85rem; font-weight: 700;
  border: 2px solid currentColor; white-space: nowrap; }
.badge.test { color: var(--warn-ink); background: var(--warn-bg); border-style: dashed; }
.badge.live { color: #fff; background: var(--live); border-color: var(--live); }
.test-banner { background: var(--warn-bg); color: var(--warn-ink); border-bottom: 2px dashed #7a5c00;
  padding: 0.4rem 1rem; font-size: 0.95rem; }
nav.sections ul { list-style: none; margin: 0; padding: 0.5rem 0.75rem; display: flex; flex-wrap: wrap; gap: 0.25rem; }
nav.sections a { display: block; padding: 0.45rem 0.7rem; border-radius: 6px; color: var(--ink); text-decoration: none; font-weight: 600; }
nav.sections a[aria-current=page] { background: var(--ink); color: var(--paper); }
nav.sections a:hover { text-decoration: underline; }
.shell { display: block; }
main { padding: 1rem 1rem 3rem; max-width: 72rem; min-width: 0; }
@media (min-width: 64rem) {
  .shell { display: grid; grid-template-columns: 13rem 1fr; }
  nav.sections { border-right: 1px solid var(--line); min-height: calc(100vh - 3.5rem); }
  nav.sections ul { flex-direction: column; padding: 1rem 0.75rem; }
  main { padding: 1.5rem 2rem 3rem; }
}

.narrow { max-width: 28rem; margin: 2rem auto; padding: 0 1rem; }
.field { margin-bottom: 1rem; }
.field label, .field .label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.hint { font-size: 0.9rem; color: var(--muted); margin: 0 0 0.35rem; }
input[type=text], input[type=email], input[type=password], input[type=number], input[type=date],
input[type=search], input[type=url], select, textarea {
  display: block; width: 100%; min-height: 2.75rem; padding: 0.5rem 0.65rem; font: inherit;
  color: var(--ink); background: var(--paper); border: 2px solid var(--ink); border-radius: 6px;
}
input.short { max-width: 12rem; }
.has-error { border-left: 4px solid var(--error); padding-left: 0.75rem; }
.has-error input, .has-error select { border-color: var(--error); }
.error { color: var(--error); font-weight: 700; margin: 0 0 0.35rem; }
.error-summary { border: 4px solid var(--error); border-radius: 8px; padding: 0.75rem 1rem; margin-bottom: 1.25rem; }
.error-summary h2 { font-size: 1.1rem; margin-top: 0; }
.notice { border-left: 6px solid var(--info); background: #e8f1fa; padding: 0.75rem 1rem; margin-bottom: 1.25rem; }
.notice h2 { margin-top: 0; font-size: 1.1rem; }
.notice.success { border-color: var(--brand); background: #eaf6ef; }
.notice.warning { border-color: #7a5c00; background: var(--warn-bg); color: var(--warn-ink); }
.secret { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere;
  background: var(--paper); border: 2px solid var(--ink); border-radius: 6px; padding: 0.5rem; display: block; }

.button { display: inline-block; min-height: 2.75rem; padding: 0.5rem 1rem; font: inherit; font-weight: 700;
  border-radius: 8px; cursor: pointer; text-decoration: none; text-align: center; }
.button.primary { color: #fff; background: var(--brand); border: 2px solid var(--brand-dark); }
.button.primary:hover { background: var(--brand-dark); }
.button.secondary { color: var(--ink); background: var(--paper); border: 2px solid var(--ink); }
.button.danger { color: #fff; background: var(--error); border: 2px solid #7a0016; }
.button.link { background: none; border: 0; color: var(--info); text-decoration: underline; padding: 0.25rem; min-height: 0; font-weight: 600; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0 1rem; }
form.inline { display: inline; }
.grid { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); }

.cards { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); margin-bottom: 1rem; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem 1rem; background: var(--paper); }
.card .label { color: var(--muted); font-size: 0.9rem; font-weight: 600; }
.card .value { font-size: 1.6rem; font-weight: 800; letter-spacing: -0.01em; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; padding: 0.5rem 0.65rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 700; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.status { font-weight: 700; }
dl.summary { margin: 0 0 1.25rem; border-top: 1px solid var(--line); }
dl.summary .row { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 1rem;
  padding: 0.5rem 0; border-bottom: 1px solid var(--line); }
dl.summary dt { font-weight: 600; } dl.summary dd { margin: 0; overflow-wrap: anywhere; }
.preview { border: 2px solid var(--brand); border-radius: 10px; padding: 0.75rem 1rem; background: #eaf6ef; margin: 0.5rem 0 1rem; }
.chart { margin: 0 0 1rem; }
.chart svg { width: 100%; height: auto; max-width: 30rem; display: block; }
.pager { display: flex; gap: 1rem; margin: 0.5rem 0 1.5rem; }
`

export const consoleCss = [baseCss, ...SECTION_ASSETS.map((s) => s.css)].join('\n')
