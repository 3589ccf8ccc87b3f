import type {
  AuthView,
  BodyView,
  GroupView,
  OperationView,
  ReferenceModel,
  ResponseView,
} from '../../src/docs/reference.ts'
import { authAnchor, schemaAnchor } from '../../src/docs/reference.ts'
import { Document } from '../document.tsx'
import { Prose, Spans } from './markdown.tsx'
import { type Direction, FieldList, SchemaBlock } from './schema.tsx'

/**
 * The API reference as one server-rendered page: a contents sidebar grouped by tag (a row of
 * group links on a phone, with each group's own index), then every operation, the webhook
 * events, and the schemas. No script: anchors and `<details>` do the navigating.
 */
export function ApiReference({ model, stylesheet }: { model: ReferenceModel; stylesheet: string }) {
  const groups = model.webhooks ? [...model.groups, model.webhooks] : model.groups
  return (
    <Document title={`${model.title} API reference`} stylesheets={[stylesheet]}>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <div class="layout">
        <nav class="toc" aria-label="Contents">
          <p class="brand">
            <a href="#content">{model.title}</a> <span class="version">v{model.version}</span>
          </p>
          <ul class="toc-groups">
            {groups.map((group) => (
              <li>
                <a class="toc-group" href={`#${group.anchor}`}>
                  {group.name}
                </a>
                <OperationIndex group={group} class="toc-ops" />
              </li>
            ))}
            {model.schemas.length > 0 ? (
              <li>
                <a class="toc-group" href="#schemas">
                  Schemas
                </a>
              </li>
            ) : null}
          </ul>
          <p class="raw">
            <a href="/openapi.json">openapi.json</a>{' '}
            <span class="version">OpenAPI {model.openapi}</span>
          </p>
        </nav>
        <main id="content" tabindex={-1}>
          <header class="intro">
            <h1>{model.title} API reference</h1>
            <Prose blocks={model.description} class="lead" />
            <dl class="facts">
              <dt>Base URL</dt>
              <dd>
                <code>{model.serverUrl}</code>
              </dd>
              {model.schemes.map((s) => (
                <>
                  <dt id={s.anchor}>
                    <code>{s.name}</code> <span class="version">{s.kind}</span>
                  </dt>
                  <dd>
                    <Prose blocks={s.description} />
                  </dd>
                </>
              ))}
            </dl>
            {model.commonHeaders.length > 0 ? (
              <>
                <p class="nested-label">Every response carries</p>
                <FieldList fields={model.commonHeaders} direction="plain" />
              </>
            ) : null}
          </header>
          {groups.map((group) => (
            <Group group={group} />
          ))}
          {model.schemas.length > 0 ? (
            <section class="group" id="schemas" aria-labelledby="schemas-title">
              <h2 id="schemas-title">Schemas</h2>
              <p>The shapes the operations above share, each in full.</p>
              {model.schemas.map((entry) => (
                <article class="operation" id={entry.anchor} aria-labelledby={`${entry.anchor}-t`}>
                  <h3 id={`${entry.anchor}-t`}>
                    <code>{entry.name}</code>
                  </h3>
                  <SchemaBlock schema={entry.schema} direction="response" />
                </article>
              ))}
            </section>
          ) : null}
        </main>
      </div>
    </Document>
  )
}

function OperationIndex({ group, class: className }: { group: GroupView; class: string }) {
  return (
    <ul class={className}>
      {group.operations.map((op) => (
        <li>
          <a href={`#${op.anchor}`}>
            {group.anchor === 'webhooks' ? (
              <code>{op.path}</code>
            ) : (
              <>
                <span class={`method ${op.method.toLowerCase()}`}>{op.method}</span>
                <span>{op.summary}</span>
              </>
            )}
          </a>
        </li>
      ))}
    </ul>
  )
}

function Group({ group }: { group: GroupView }) {
  const titleId = `${group.anchor}-title`
  return (
    <section class="group" id={group.anchor} aria-labelledby={titleId}>
      <h2 id={titleId}>{group.name}</h2>
      <Prose blocks={group.description} />
      <OperationIndex group={group} class="group-index" />
      {group.operations.map((op) => (
        <Operation op={op} webhook={group.anchor === 'webhooks'} />
      ))}
    </section>
  )
}

function Operation({ op, webhook }: { op: OperationView; webhook: boolean }) {
  const titleId = `${op.anchor}-t`
  const onlyHeaders = op.parameters.every((p) => p.location === 'header')
  return (
    <article class="operation" id={op.anchor} aria-labelledby={titleId}>
      <h3 id={titleId}>{op.summary}</h3>
      <p class="endpoint">
        <span class={`method ${op.method.toLowerCase()}`}>{op.method}</span>{' '}
        {webhook ? (
          <>
            <span class="to">to your endpoint, event</span> <code>{op.path}</code>
          </>
        ) : (
          <code>{op.path}</code>
        )}
        {op.deprecated ? <span class="badge">deprecated</span> : null}
      </p>
      {op.auth ? <Auth auth={op.auth} /> : null}
      <Prose blocks={op.description} />
      {op.parameters.length > 0 ? (
        <>
          <h4>{onlyHeaders ? 'Headers' : 'Parameters'}</h4>
          <FieldList
            fields={op.parameters.map((p) => ({
              name: p.name,
              required: p.required,
              schema: p.schema,
              location: onlyHeaders ? undefined : p.location,
              deprecated: p.deprecated,
              description: p.description,
            }))}
            direction={webhook ? 'plain' : 'request'}
          />
        </>
      ) : null}
      {op.body ? (
        <>
          <h4>
            {webhook ? 'Body' : 'Request body'}{' '}
            <span class="media">
              {op.body.mediaType}
              {op.body.required || webhook ? '' : ', optional'}
            </span>
          </h4>
          <Body body={op.body} direction={webhook ? 'response' : 'request'} />
        </>
      ) : null}
      {op.example.text ? (
        <>
          <h4>{op.example.label}</h4>
          <pre>
            <code>{op.example.text}</code>
          </pre>
        </>
      ) : null}
      {op.responses.length > 0 ? (
        <>
          <h4>{webhook ? 'Your answer' : 'Responses'}</h4>
          {op.responses.map((r) => (
            <Response response={r} />
          ))}
        </>
      ) : null}
    </article>
  )
}

function Auth({ auth }: { auth: AuthView }) {
  if (auth.kind === 'none') return <p class="auth">No authentication.</p>
  return (
    <p class="auth">
      {auth.kind === 'optional' ? 'Authentication optional: ' : 'Authentication: '}
      {auth.options.map((option, i) => (
        <>
          {i > 0 ? ' or ' : ''}
          {option.map((name, j) => (
            <>
              {j > 0 ? ' and ' : ''}
              <a href={`#${authAnchor(name)}`}>
                <code>{name}</code>
              </a>
            </>
          ))}
        </>
      ))}
    </p>
  )
}

function Body({ body, direction }: { body: BodyView; direction: Direction }) {
  return (
    <>
      <Prose blocks={body.description} />
      {body.shared ? (
        <p class="schema-type">
          <a class="field-type" href={`#${schemaAnchor(body.shared)}`}>
            {body.shared}
          </a>{' '}
          <span class="media">(fields as above)</span>
        </p>
      ) : null}
      {body.schema ? <SchemaBlock schema={body.schema} direction={direction} /> : null}
    </>
  )
}

function Response({ response }: { response: ResponseView }) {
  const [first, ...rest] = response.description ?? []
  const title = first?.kind === 'paragraph' ? first.children : []
  const more = first?.kind === 'paragraph' ? rest : (response.description ?? [])
  const shared = response.body?.shared
  const status = <span class={`status s${response.status.charAt(0)}`}>{response.status}</span>
  const sharedBody = shared ? (
    <span class="media">
      {' '}
      <a href={`#${schemaAnchor(shared)}`}>{shared}</a>
    </span>
  ) : null
  if (more.length === 0 && response.headers.length === 0 && !response.body?.schema) {
    return (
      <p class="response">
        {status} <Spans nodes={title} />
        {sharedBody}
      </p>
    )
  }
  return (
    <details class="response" open={response.status.startsWith('2')}>
      <summary>
        {status} <Spans nodes={title} links={false} />
      </summary>
      <div class="response-body">
        <Prose blocks={more} />
        {response.headers.length > 0 ? (
          <>
            <p class="nested-label">Headers</p>
            <FieldList fields={response.headers} direction="plain" />
          </>
        ) : null}
        {shared ? (
          <p class="nested-label">
            Body <span class="media">{response.body?.mediaType}</span>
            {sharedBody}
          </p>
        ) : null}
        {response.body?.schema ? (
          <>
            <p class="nested-label">
              Body <span class="media">{response.body.mediaType}</span>
            </p>
            <SchemaBlock schema={response.body.schema} direction="response" />
          </>
        ) : null}
        {response.example ? (
          // Closed: a full example body is as long as the fields above it.
          <details class="example">
            <summary class="nested-label">Example</summary>
            <pre>
              <code>{response.example}</code>
            </pre>
          </details>
        ) : null}
      </div>
    </details>
  )
}
