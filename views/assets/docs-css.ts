export const docsCss = `
:root {
  --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --panel: #f6f8fa; --line: #d0d7de;
  --accent: #0b5cad; --get: #116329; --post: #0b5cad; --put: #7d4e00; --delete: #a40e26;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.layout { display: grid; grid-template-columns: 18rem 1fr; min-height: 100vh; }
.toc { position: sticky; top: 0; height: 100vh; overflow-y: auto; padding: 1rem;
  background: var(--panel); border-right: 1px solid var(--line); }
.toc .brand { font-weight: 700; font-size: 1.2rem; margin: 0 0 1rem; }
.toc .version { color: var(--muted); font-weight: 400; font-size: 0.85rem; }
.toc h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  margin: 1rem 0 0.25rem; }
.toc ul { list-style: none; padding: 0; margin: 0; }
.toc li a { display: flex; gap: 0.5rem; align-items: baseline; padding: 0.2rem 0; text-decoration: none;
  color: var(--fg); }
.toc li a:hover code { text-decoration: underline; }
main { padding: 1.5rem 2rem 4rem; max-width: 70rem; }
h1 { margin-top: 0; }
.lead { font-size: 1.1rem; color: var(--muted); }
.group > h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; margin-top: 2.5rem; }
.operation { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
.operation h3 { margin: 0 0 0.25rem; font-size: 1.1rem; word-break: break-all; }
.operation h4 { margin: 1rem 0 0.5rem; font-size: 0.95rem; }
.summary { margin: 0; font-weight: 600; }
.method { display: inline-block; min-width: 3.6rem; text-align: center; border-radius: 4px; color: #fff;
  font-size: 0.75rem; font-weight: 700; padding: 0.1rem 0.35rem; font-family: ui-monospace, monospace; }
.method.get { background: var(--get); } .method.post { background: var(--post); }
.method.put, .method.patch { background: var(--put); } .method.delete { background: var(--delete); }
.status { font-family: ui-monospace, monospace; font-weight: 700; }
.status.s2 { color: var(--get); } .status.s4 { color: var(--put); } .status.s5 { color: var(--delete); }
.auth { color: var(--muted); }
pre { background: #0d1117; color: #e6edf3; padding: 0.75rem 1rem; border-radius: 6px; overflow-x: auto; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); }
th { background: var(--panel); }
.required, .in { display: inline-block; margin-left: 0.4rem; font-size: 0.7rem; border-radius: 3px;
  padding: 0 0.3rem; border: 1px solid var(--line); color: var(--muted); }
.required { color: var(--delete); border-color: currentColor; }
.type { color: var(--muted); }
.constraints { display: block; color: var(--muted); font-size: 0.8rem; }
details { margin: 0.25rem 0; }
summary { cursor: pointer; padding: 0.2rem 0; }
dl.security { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dl.security dd { margin: 0; }
@media (max-width: 48rem) {
  .layout { display: block; }
  .toc { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); }
  main { padding: 1rem; }
}
`
