/**
 * Styles for the console's Team, Your account and Activity pages (joined into console.css).
 * Their tables turn into one card per row on a phone: each cell then shows its column's name
 * from `data-label`, so nothing scrolls sideways.
 */
export const css = `
@media (max-width: 47.99rem) {
  table.rows-on-phone thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.rows-on-phone, table.rows-on-phone tbody, table.rows-on-phone tr, table.rows-on-phone td { display: block; width: 100%; }
  table.rows-on-phone tr { border-bottom: 2px solid var(--line); padding: 0.35rem 0; }
  table.rows-on-phone tr:last-child { border-bottom: 0; }
  table.rows-on-phone td { border: 0; padding: 0.3rem 0.75rem 0.3rem 7.5rem; position: relative; min-height: 2rem; }
  table.rows-on-phone td::before { content: attr(data-label); position: absolute; left: 0.75rem; width: 6.25rem;
    font-weight: 700; color: var(--muted); font-family: system-ui, sans-serif; font-size: 0.9rem; }
}
/* Sign-in and code pages: the note under a form stands apart from its button. */
.narrow form + p { margin-top: 1.25rem; }
.you { color: var(--muted); font-family: system-ui, sans-serif; }
.member-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.member-actions form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.member-actions select { width: auto; min-width: 7rem; display: inline-block; }
.role-key { margin: 0 0 1.25rem; padding: 0; display: grid; gap: 0.25rem; }
.role-key dt { display: inline; font-weight: 700; }
.role-key dt::after { content: ": "; }
.role-key dd { display: inline; margin: 0; }
.invite-form { max-width: 24rem; }
.invite-form select { max-width: 16rem; }
ol.steps { padding-left: 1.25rem; }
ol.steps > li { margin-bottom: 1.5rem; }
ol.steps h2 { margin-top: 0.25rem; }
.otp-key { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 1.25rem;
  font-weight: 700; letter-spacing: 0.08em; word-spacing: 0.3em; background: var(--paper);
  border: 2px solid var(--ink); border-radius: 6px; padding: 0.5rem 0.75rem; overflow-wrap: anywhere; width: fit-content; max-width: 100%; }
.otp-key + .button { margin-bottom: 0.75rem; }
.otp-uri { background: var(--panel); padding: 0.5rem; border-radius: 6px; }
.audit-filter { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0 0.75rem; margin-bottom: 1rem; }
.audit-filter .field { min-width: 14rem; }
.audit-filter .button { margin-bottom: 1rem; }
table.audit .badge { margin-left: 0.4rem; font-size: 0.75rem; }
.audit-target, .audit-code { display: block; }
.audit-code { font-size: 0.8rem; }
ul.audit-change { list-style: none; margin: 0; padding: 0; }
ul.audit-change li { overflow-wrap: anywhere; }
ul.audit-change .audit-field { font-weight: 600; }
ul.audit-change del { color: var(--muted); }
ul.audit-change ins { text-decoration: none; font-weight: 600; }
`
export const js = ``
