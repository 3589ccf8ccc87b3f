/** Styles and script for the console's claims pages (joined into console.css and console.js). */

/*
 * On a phone, a `table.claims-stack` shows each row as a small card: every cell on its own line with
 * its column's name (from `data-label`) before it. The table keeps its semantics for screen
 * readers; only the layout changes. From 48rem the ordinary table returns.
 */
export const css = `
.claim-filters { border: 1px solid var(--line); border-radius: 10px; padding: 0.75rem 1rem 0.25rem;
  background: var(--panel); margin-bottom: 1rem; }
.claim-filters .field { margin-bottom: 0.75rem; }
.filter-grid { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
  align-items: end; }
.claims-bar { justify-content: space-between; }
.claims-bar p { margin: 0; }
.claim-status { font-weight: 700; white-space: nowrap; }
.claim-status::before { content: ""; display: inline-block; width: 0.6em; height: 0.6em; margin-right: 0.35em;
  border-radius: 50%; border: 2px solid currentColor; vertical-align: 0.05em; }
.claim-status.status-settled { color: var(--brand); }
.claim-status.status-settled::before { background: currentColor; }
.claim-status.status-failed { color: var(--error); }
.claim-status.status-failed::before { border-radius: 0; }
.claim-status.status-cancelled, .claim-status.status-expired { color: var(--muted); }
.claim-status.status-open, .claim-status.status-submitted, .claim-status.status-processing { color: var(--info); }
dl.summary .reason { display: block; font-weight: 400; color: var(--muted); }
td.ref { overflow-wrap: anywhere; min-width: 8rem; }
@media (min-width: 48rem) { td.ref { max-width: 16rem; } }
/* Ids and masked accounts break only when they must, not at every character. */
.claim-text { overflow-wrap: break-word; }
.claim-summary { max-width: 46rem; }
.claim-summary dd { text-align: right; }
table.claim-events .event-type { display: block; overflow-wrap: normal; white-space: nowrap; }
.cancel-claim { border: 2px solid var(--error); border-radius: 10px; padding: 0.75rem 1rem; margin: 0 0 1.25rem; }
@media (max-width: 47.99rem) {
  table.claims-stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.claims-stack, table.claims-stack tbody, table.claims-stack tr, table.claims-stack td { display: block; width: 100%; }
  table.claims-stack tr { padding: 0.5rem 0.75rem; border-bottom: 1px solid var(--line); }
  table.claims-stack tr:last-child { border-bottom: 0; }
  table.claims-stack td { display: flex; justify-content: space-between; gap: 1rem; padding: 0.2rem 0;
    border: 0; text-align: right; white-space: normal; min-width: 0; }
  table.claims-stack td::before { content: attr(data-label); font-weight: 700; text-align: left; flex: none; color: var(--ink); }
  table.claims-stack td > * { min-width: 0; overflow-wrap: anywhere; }
}
`
export const js = ``
