/** Styles and script for the console's float pages (joined into console.css and console.js). */

/*
 * On a phone the statement's six columns become one card per transfer, each value labelled
 * from its cell's data-label, so nothing scrolls sideways.
 */
export const css = `
.float-totals { max-width: 36rem; }
.float-alert { border: 1px solid var(--line); border-radius: 10px; padding: 0.25rem 1rem 0.5rem;
  margin: 1.5rem 0; background: var(--panel); }
.float-alert h2 { margin-top: 0.75rem; }
.float-alert-state.below { border-left: 6px solid #7a5c00; background: var(--warn-bg); color: var(--warn-ink);
  padding: 0.5rem 0.75rem; }
.statement-bar { justify-content: space-between; }
.statement-bar p { margin: 0; flex: 1 1 18rem; }
table.statement td.ref .uuid { display: block; font-size: 0.8rem; }
table.statement td.running { font-weight: 700; }
@media (max-width: 47.99rem) {
  table.statement thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.statement, table.statement tbody, table.statement tr, table.statement td { display: block; width: 100%; }
  table.statement tr { border-bottom: 2px solid var(--line); padding: 0.4rem 0; }
  table.statement tr:last-child { border-bottom: 0; }
  table.statement td { display: flex; justify-content: space-between; gap: 1rem; border: 0;
    padding: 0.2rem 0.75rem; text-align: right; white-space: normal; }
  table.statement td::before { content: attr(data-label); font-weight: 700; text-align: left; flex: none; }
  table.statement td.ref { flex-wrap: wrap; row-gap: 0; }
  table.statement td.ref > * { max-width: 100%; overflow-wrap: anywhere; }
  table.statement td.ref .uuid { flex-basis: 100%; text-align: right; }
  table.statement td.none { display: none; }
}
`

export const js = ``
