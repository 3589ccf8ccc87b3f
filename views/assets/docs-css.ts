/**
 * The API reference's styles. Long paths, names and examples wrap inside their own box rather
 * than widen the page: the main column is `minmax(0, 1fr)`, so nothing in it can push it past
 * the window, and code blocks wrap instead of scrolling (a scrolling box would also need to be
 * reachable by keyboard).
 */
export const docsCss = `
:root {
  --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --accent: #0b5cad; --get: #116329; --post: #0b5cad; --put: #7d4e00; --delete: #a40e26;
  --code-bg: #eff1f3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; }
:not(pre) > code { background: var(--code-bg); border-radius: 4px; padding: 0.05em 0.2em;
  overflow-wrap: anywhere; }
pre { background: #0d1117; color: #e6edf3; padding: 0.75rem 1rem; border-radius: 6px; margin: 0.5rem 0;
  white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { font-size: 0.85rem; }
.skip { position: absolute; left: 0.5rem; top: -3rem; background: var(--bg); padding: 0.5rem 0.75rem;
  z-index: 2; border: 2px solid var(--accent); }
.skip:focus { top: 0.5rem; }

.layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); min-height: 100vh; }
.toc { position: sticky; top: 0; height: 100vh; overflow-y: auto; padding: 1rem 0.75rem 2rem 1rem;
  background: var(--panel); border-right: 1px solid var(--line); font-size: 0.9rem; }
.toc .brand { font-weight: 700; font-size: 1.2rem; margin: 0 0 0.75rem; }
.toc .brand a { color: var(--fg); text-decoration: none; }
.version { color: var(--muted); font-weight: 400; font-size: 0.85rem; }
.toc ul { list-style: none; padding: 0; margin: 0; }
.toc-group { display: block; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em;
  color: var(--muted); font-weight: 700; text-decoration: none; margin: 1rem 0 0.25rem; }
.toc-ops a, .group-index a { display: flex; gap: 0.5rem; align-items: baseline; padding: 0.15rem 0;
  text-decoration: none; color: var(--fg); }
.toc-ops a:hover span:last-child, .toc-ops a:hover code { text-decoration: underline; }
.toc-ops .method, .group-index .method { flex: none; min-width: 3.3rem; }
.toc .raw { margin-top: 1.5rem; }

main { padding: 1.5rem 2.5rem 4rem; max-width: 60rem; min-width: 0; }
main:focus { outline: none; }
h1 { margin-top: 0; font-size: 1.9rem; line-height: 1.2; }
.lead { font-size: 1.05rem; color: var(--muted); }
.facts { display: grid; grid-template-columns: fit-content(16rem) minmax(0, 1fr); gap: 0.5rem 1rem;
  margin: 1rem 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; min-width: 0; }
.facts dd .prose p { margin: 0; }
.prose p { margin: 0.4rem 0; }
.prose ul, .prose ol { margin: 0.4rem 0; padding-left: 1.4rem; }

.group > h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; margin: 3rem 0 0.5rem; }
.group-index { display: none; }
.operation { border-top: 1px solid var(--line); padding: 1.25rem 0 1rem; margin: 1.5rem 0 0;
  scroll-margin-top: 0.5rem; }
.group > h2 + .prose + .group-index + .operation, .group > h2 + .group-index + .operation,
.group > h2 + p + .operation { border-top: 0; }
.operation h3 { margin: 0 0 0.35rem; font-size: 1.25rem; }
.operation h4 { margin: 1.25rem 0 0.4rem; font-size: 0.95rem; }
.endpoint { margin: 0 0 0.5rem; display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; }
.endpoint code { font-size: 0.95rem; font-weight: 600; background: none; padding: 0; }
.endpoint .to { color: var(--muted); }
.method { display: inline-block; min-width: 3.6rem; text-align: center; border-radius: 4px; color: #fff;
  font-size: 0.7rem; font-weight: 700; padding: 0.1rem 0.35rem; font-family: ui-monospace, monospace;
  line-height: 1.5; }
.method.get { background: var(--get); } .method.post { background: var(--post); }
.method.put, .method.patch { background: var(--put); } .method.delete { background: var(--delete); }
.method.options, .method.head, .method.trace { background: var(--muted); }
.auth { color: var(--muted); margin: 0.25rem 0; }
.media { color: var(--muted); font-weight: 400; font-size: 0.85rem; }
.badge { display: inline-block; margin-left: 0.4rem; font-size: 0.7rem; border-radius: 3px; line-height: 1.4;
  padding: 0 0.3rem; border: 1px solid var(--line); color: var(--muted); font-weight: 400; }
.badge.required { color: var(--delete); border-color: currentColor; }

.fields { list-style: none; padding: 0; margin: 0; }
.field { border-bottom: 1px solid var(--line); padding: 0.4rem 0; min-width: 0; }
.field:last-child { border-bottom: 0; }
.field-head { margin: 0; overflow-wrap: anywhere; }
.field-name { font-weight: 700; background: none; padding: 0; }
.field-type { color: var(--muted); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.8rem; margin-left: 0.25rem; }
a.field-type { color: var(--accent); }
.field .prose { font-size: 0.95rem; }
.field .prose p { margin: 0.1rem 0; }
.schema > .nested { border-left: 0; padding-left: 0; margin-left: 0; }
.values, .constraints { margin: 0.2rem 0 0; color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
.nested { margin: 0.4rem 0 0 0.25rem; padding-left: 0.9rem; border-left: 2px solid var(--line); }
.nested-label { margin: 0.6rem 0 0.2rem; font-size: 0.85rem; font-weight: 600; color: var(--muted); }
.schema-type { margin: 0; }
.schema-type .field-type { margin-left: 0; }
.variants { margin-top: 0.4rem; }
.variant { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.75rem; margin: 0.4rem 0; }
.variant > .nested { border-left: 0; padding-left: 0; margin-left: 0; }
.variant-title { margin: 0; font-weight: 600; }

.response { margin: 0.3rem 0; }
p.response { padding: 0.2rem 0 0.2rem 1.1rem; }
summary { cursor: pointer; padding: 0.2rem 0; }
.response-body { padding: 0 0 0.5rem 1.1rem; }
.status { font-family: ui-monospace, monospace; font-weight: 700; }
.status.s2 { color: var(--get); } .status.s3 { color: var(--accent); }
.status.s4 { color: var(--put); } .status.s5 { color: var(--delete); }

@media (max-width: 48rem) {
  .layout { display: block; }
  .toc { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line);
    padding: 0.75rem 1rem; }
  .toc-ops { display: none; }
  .toc-groups { display: flex; flex-wrap: wrap; gap: 0.4rem; }
  .toc-group { margin: 0; padding: 0.35rem 0.6rem; border: 1px solid var(--line); border-radius: 999px;
    background: var(--bg); color: var(--accent); text-transform: none; letter-spacing: 0; font-size: 0.85rem; }
  .toc .raw { margin-top: 0.75rem; }
  .group-index { display: block; list-style: none; padding: 0; margin: 0.5rem 0 1rem; }
  main { padding: 1rem; }
  pre { padding: 0.6rem 0.75rem; }
  pre code { font-size: 0.8rem; }
  h1 { font-size: 1.6rem; }
  .facts { grid-template-columns: minmax(0, 1fr); }
  .facts dd { margin-bottom: 0.4rem; }
}
`
