export const claimCss = `
:root {
  --ink: #1b1b1f; --muted: #4a4f57; --paper: #ffffff; --panel: #f3f5f8; --line: #b7bec8;
  --brand: #0a5c36; --brand-dark: #073f25; --error: #b00020; --focus: #ffbf47; --info: #0b4f8a;
  color-scheme: light;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 100%; line-height: 1.5; color: var(--ink); background: var(--paper);
  -webkit-text-size-adjust: 100%;
}
* { box-sizing: border-box; }
body { margin: 0; }
.page { max-width: 32rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
h1, h2 { line-height: 1.2; margin: 0 0 0.75rem; }
h2 { font-size: 1.25rem; }
p { margin: 0 0 0.75rem; }
a { color: var(--info); text-underline-offset: 0.15em; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.destination { display: inline-block; max-width: 100%; overflow-wrap: anywhere; }
:focus-visible { outline: 3px solid var(--ink); outline-offset: 0; box-shadow: 0 0 0 6px var(--focus); }

.test-mode { background: #fff4ce; border: 2px dashed #7a5c00; color: #3d2e00; border-radius: 8px;
  padding: 0.5rem 0.75rem; margin-bottom: 1rem; }
.delay { border-inline-start: 6px solid var(--info); background: #e8f1fa; padding: 0.5rem 0.75rem; }
.offer { background: var(--panel); border-radius: 12px; padding: 1rem; margin-bottom: 1.5rem;
  border-top: 6px solid var(--brand); }
.offer .provider { font-weight: 600; color: var(--muted); margin-bottom: 0.25rem; }
.offer h1 { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 0.5rem; margin-bottom: 0.5rem; }
.offer .amount { font-size: 2.5rem; font-weight: 800; letter-spacing: -0.02em; }
.offer .for { font-size: 1rem; font-weight: 500; color: var(--muted); }
.offer .fee, .offer .expires { font-size: 0.95rem; color: var(--muted); margin: 0; }

fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; min-width: 0; }
legend { font-weight: 700; font-size: 1.125rem; padding: 0; margin-bottom: 0.5rem; }
.section legend { font-size: 1rem; }
.field { margin-bottom: 1rem; }
.field label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.hint { font-size: 0.9rem; color: var(--muted); margin-bottom: 0.35rem; }
input[type=text], select {
  display: block; width: 100%; min-height: 2.75rem; padding: 0.5rem 0.65rem; font: inherit;
  color: var(--ink); background: var(--paper); border: 2px solid var(--ink); border-radius: 6px;
}
select { appearance: auto; }
.has-error { border-inline-start: 4px solid var(--error); padding-inline-start: 0.75rem; }
.has-error input, .has-error select { border-color: var(--error); }
.error { color: var(--error); font-weight: 700; margin-bottom: 0.35rem; }

.radio { display: flex; align-items: center; gap: 0.6rem; min-height: 2.75rem; }
.radio input { width: 1.5rem; height: 1.5rem; margin: 0; accent-color: var(--brand); flex: none; }
.radio label { font-weight: 500; }

.button { display: block; width: 100%; min-height: 3rem; margin: 0 0 0.75rem; padding: 0.65rem 1rem;
  font: inherit; font-weight: 700; font-size: 1.1rem; border-radius: 8px; cursor: pointer; }
.button.primary { color: #fff; background: var(--brand); border: 2px solid var(--brand-dark); }
.button.primary:hover { background: var(--brand-dark); }
.button.secondary { color: var(--ink); background: var(--paper); border: 2px solid var(--ink); }
.button:disabled { opacity: 0.6; cursor: progress; }

.error-summary { border: 4px solid var(--error); border-radius: 8px; padding: 0.75rem 1rem; margin-bottom: 1.25rem; }
.error-summary h2 { font-size: 1.1rem; }
.error-summary ul { margin: 0; padding-inline-start: 1.1rem; }
.error-summary a { color: var(--error); font-weight: 700; }
.notice { border-inline-start: 6px solid var(--info); background: #e8f1fa; padding: 0.75rem 1rem; margin-bottom: 1.25rem; }
.notice h2 { font-size: 1.1rem; }

.summary { margin: 0 0 1.25rem; border-top: 1px solid var(--line); }
.summary .row { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 1rem;
  padding: 0.6rem 0; border-bottom: 1px solid var(--line); }
.summary dt { font-weight: 600; }
.summary dd { margin: 0; overflow-wrap: anywhere; }

.status { border-radius: 12px; padding: 1rem; border: 2px solid var(--line); }
.status.paid { border-color: var(--brand); background: #eaf6ef; }
.status.failed { border-color: var(--error); background: #fcecee; }
.status .tick { color: var(--brand); }
.muted { color: var(--muted); }
.support { margin-top: 2rem; padding-top: 1rem; border-top: 1px solid var(--line); overflow-wrap: anywhere; }

/* Digits, addresses and Latin names read left to right; on a right-to-left page they sit at its start. */
.ltr { unicode-bidi: isolate; }
[dir=rtl] input[dir=ltr] { text-align: right; }
.nowrap, .masked { white-space: nowrap; }
:lang(ar) { line-height: 1.7; }
:lang(ar) .offer .amount { letter-spacing: 0; }

.languages { margin: 0 0 0.75rem; font-size: 0.95rem; }
.languages ul { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 0.25rem 1rem;
  margin: 0; padding: 0; list-style: none; }
.languages a, .languages [aria-current] { display: inline-block; padding: 0.35rem 0.1rem; min-height: 2.75rem;
  line-height: 2; }
.languages [aria-current] { font-weight: 700; border-block-end: 3px solid var(--brand); }

.receipt { margin-top: 1rem; }
.receipt h3 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.receipt .summary { margin-bottom: 0.75rem; }
.receipt dd { text-align: end; }
@media (min-width: 40rem) { .page { padding-top: 2.5rem; } }

/* A paid claim prints as its receipt, on one page: no switcher, buttons or page chrome. */
@media print {
  :root { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .languages, .button, .status .muted a { display: none !important; }
  .offer, .status, .status.paid { background: none; border: 1px solid #000; break-inside: avoid; }
  .status .tick { color: #000; }
  .receipt { break-inside: avoid; }
  a { color: #000; text-decoration: none; }
}
`
