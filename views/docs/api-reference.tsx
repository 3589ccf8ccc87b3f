import type {
  FieldRow,
  OperationView,
  ParameterRow,
  ReferenceModel,
} from '../../src/docs/reference.ts'
import { Document } from '../document.tsx'

export function ApiReference({ model, stylesheet }: { model: ReferenceModel; stylesheet: string }) {
  return (
    <Document title={`${model.title} API reference`} stylesheets={[stylesheet]}>
      <div class="layout">
        <nav class="toc" aria-label="Operations">
          <p class="brand">
            {model.title} <span class="version">v{model.version}</span>
          </p>
          {model.groups.map((group) => (
            <section>
              <h2>{group.name}</h2>
              <ul>
                {group.operations.map((op) => (
                  <li>
                    <a href={`#${op.anchor}`}>
                      <span class={`method ${op.method.toLowerCase()}`}>{op.method}</span>
                      <code>{op.path}</code>
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <p class="raw">
            <a href="/openapi.json">openapi.json</a>
          </p>
        </nav>
        <main>
          <header>
            <h1>{model.title} API reference</h1>
            {model.description ? <p class="lead">{model.description}</p> : null}
            <p>
              Base URL: <code>{model.serverUrl}</code>
            </p>
            {model.security.length > 0 ? (
              <dl class="security">
                {model.security.map((s) => (
                  <>
                    <dt>
                      <code>{s.name}</code>
                    </dt>
                    <dd>{s.description}</dd>
                  </>
                ))}
              </dl>
            ) : null}
          </header>
          {model.groups.map((group) => (
            <section class="group">
              <h2>{group.name}</h2>
              {group.description ? <p>{group.description}</p> : null}
              {group.operations.map((op) => (
                <Operation op={op} />
              ))}
            </section>
          ))}
        </main>
      </div>
    </Document>
  )
}

function Operation({ op }: { op: OperationView }) {
  return (
    <article class="operation" id={op.anchor}>
      <h3>
        <span class={`method ${op.method.toLowerCase()}`}>{op.method}</span> <code>{op.path}</code>
      </h3>
      <p class="summary">{op.summary}</p>
      {op.description ? <p>{op.description}</p> : null}
      {op.security.length > 0 ? (
        <p class="auth">
          Authentication: <code>{op.security.join(' or ')}</code>
        </p>
      ) : null}
      {op.parameters.length > 0 ? (
        <>
          <h4>Parameters</h4>
          <Fields rows={op.parameters} />
        </>
      ) : null}
      {op.body ? (
        <>
          <h4>Request body</h4>
          <Fields rows={op.body} />
        </>
      ) : null}
      <h4>Example</h4>
      <pre>
        <code>{op.example}</code>
      </pre>
      <h4>Responses</h4>
      {op.responses.map((r) => (
        <details open={r.status.startsWith('2')}>
          <summary>
            <span class={`status s${r.status.charAt(0)}`}>{r.status}</span> {r.description}
          </summary>
          {r.fields.length > 0 ? <Fields rows={r.fields} /> : null}
        </details>
      ))}
    </article>
  )
}

function Fields({ rows }: { rows: (FieldRow | ParameterRow)[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <td>
                <code>{row.name}</code>
                {row.required ? <span class="required">required</span> : null}
                {'location' in row ? <span class="in">{row.location}</span> : null}
              </td>
              <td>
                <code class="type">{row.type}</code>
              </td>
              <td>
                {row.description ?? ''}
                {row.constraints ? <span class="constraints">{row.constraints}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
