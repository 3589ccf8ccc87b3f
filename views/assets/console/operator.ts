/** Styles and script for the console's operator pages (joined into console.css and console.js). */
export const css = `
.op-search { max-width: 40rem; display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0 0.75rem; }
.op-search .field { flex: 1 1 14rem; margin-bottom: 0.75rem; }
.op-search .button { margin-bottom: 0.75rem; }
.op-providers { list-style: none; padding: 0; margin: 0 0 1rem; display: grid; gap: 0.75rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 21rem), 1fr)); }
.op-providers h2 { margin: 0 0 0.25rem; font-size: 1.15rem; overflow-wrap: anywhere; }
.op-state { display: inline-block; font-size: 0.8rem; font-weight: 700; padding: 0 0.5rem;
  border-radius: 999px; border: 2px solid currentColor; vertical-align: middle; white-space: nowrap; }
.op-state.active { color: var(--brand); }
.op-state.suspended { color: #fff; background: var(--error); border-color: var(--error); }
.op-modes { display: grid; gap: 0.75rem 1rem; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
  margin: 0.5rem 0 1rem; }
.op-mode h3 { font-size: 0.85rem; margin: 0 0 0.35rem; }
.op-mode p { margin: 0; overflow-wrap: anywhere; }
.op-mode .op-count { font-size: 0.9rem; }
.op-links { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; }
.op-links a { display: inline-block; padding: 0.35rem 0; }
.op-choice { border: 0; padding: 0; margin: 0 0 1rem; min-width: 0; }
.op-choice legend { font-weight: 600; margin-bottom: 0.25rem; padding: 0; }
.op-form { max-width: 40rem; }
.op-choice label { font-weight: 400; display: flex; gap: 0.6rem; align-items: flex-start; padding: 0.35rem 0; }
.op-choice input { width: 1.25rem; height: 1.25rem; margin: 0.15rem 0 0; flex: none; }
.op-activity { list-style: none; padding: 0; margin: 0 0 1rem; border-top: 1px solid var(--line); }
.op-activity li { padding: 0.6rem 0; border-bottom: 1px solid var(--line); }
.op-activity p { margin: 0 0 0.15rem; overflow-wrap: anywhere; }
.op-change { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 0 0.75rem; margin: 0.25rem 0 0;
  font-size: 0.9rem; }
.op-change dt { font-weight: 600; }
.op-change dd { margin: 0; }
.op-payout { margin-bottom: 1.25rem; max-width: 48rem; }
.op-payout h2 { margin-top: 0; overflow-wrap: anywhere; }
.op-payout h3 { margin-top: 1rem; }
`
export const js = ``
