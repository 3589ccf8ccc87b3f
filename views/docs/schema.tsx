import { schemaAnchor } from '../../src/docs/reference.ts'
import type { SchemaView } from '../../src/docs/schema.ts'
import { Prose } from './markdown.tsx'

export interface FieldItem {
  name: string
  required: boolean
  schema: SchemaView
  /** Where a parameter travels (`path`, `query`, `header`). */
  location?: string
  deprecated?: boolean
  /** A parameter's or header's own description, shown instead of its schema's. */
  description?: SchemaView['description']
}

/**
 * Which way a value travels. A request marks the fields a caller must send; a response marks
 * instead the fields that may be missing, since a reader relies on the ones that are always there.
 * Headers a reader is sent are `plain`: documents seldom say whether they are required.
 */
export type Direction = 'request' | 'response' | 'plain'

/** A schema's shape: its description, then its fields, items or alternatives. */
export function SchemaBlock({ schema, direction }: { schema: SchemaView; direction: Direction }) {
  return (
    <div class="schema">
      {schema.type === 'object' && !schema.ref && !schema.nullable ? null : (
        <p class="schema-type">
          <TypeWords schema={schema} />
        </p>
      )}
      <Prose blocks={schema.description} />
      <Details schema={schema} />
      <Inside schema={schema} direction={direction} />
    </div>
  )
}

/** One list item per field, each with its type, description, constraints and insides. */
export function FieldList({ fields, direction }: { fields: FieldItem[]; direction: Direction }) {
  return (
    <ul class="fields">
      {fields.map((field) => (
        <li class="field">
          <p class="field-head">
            <code class="field-name">{field.name}</code> <TypeWords schema={field.schema} />
            {direction === 'request' && field.required ? (
              <span class="badge required">required</span>
            ) : null}
            {direction === 'response' && !field.required ? (
              <span class="badge">optional</span>
            ) : null}
            {field.location ? <span class="badge">{field.location}</span> : null}
            {field.deprecated || field.schema.deprecated ? (
              <span class="badge">deprecated</span>
            ) : null}
          </p>
          <Prose blocks={field.description ?? field.schema.description} />
          <Details schema={field.schema} />
          <Inside schema={field.schema} direction={direction} />
        </li>
      ))}
    </ul>
  )
}

function TypeWords({ schema }: { schema: SchemaView }) {
  const words = schema.nullable ? `${schema.type} or null` : schema.type
  // A component's name links to its own entry in Schemas, where it is shown once in full.
  if (schema.ref && schema.type.includes(schema.ref)) {
    return (
      <a class="field-type" href={`#${schemaAnchor(schema.ref)}`}>
        {words}
      </a>
    )
  }
  return <span class="field-type">{words}</span>
}

function Details({ schema }: { schema: SchemaView }) {
  return (
    <>
      {schema.values ? (
        <p class="values">
          One of:{' '}
          {schema.values.map((v, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <code>{v}</code>
            </>
          ))}
        </p>
      ) : null}
      {schema.constraints.length > 0 ? (
        <p class="constraints">{schema.constraints.join(' · ')}</p>
      ) : null}
    </>
  )
}

/** What lies inside a schema: an object's fields, an array's items, a union's alternatives. */
function Inside({ schema, direction }: { schema: SchemaView; direction: Direction }) {
  if (schema.circular) {
    return (
      <p class="constraints">
        The same shape as{' '}
        {schema.ref ? <a href={`#${schemaAnchor(schema.ref)}`}>{schema.ref}</a> : 'its parent'},
        nested.
      </p>
    )
  }
  return (
    <>
      {schema.fields && schema.fields.length > 0 ? (
        <div class="nested">
          <FieldList fields={schema.fields} direction={direction} />
        </div>
      ) : null}
      {schema.extra ? (
        <div class="nested">
          <FieldList
            fields={[{ name: '<any other key>', required: true, schema: schema.extra }]}
            direction={direction}
          />
        </div>
      ) : null}
      {schema.items ? (
        <div class="nested">
          <p class="nested-label">Each item:</p>
          <Prose blocks={schema.items.description} />
          <Details schema={schema.items} />
          <Inside schema={schema.items} direction={direction} />
        </div>
      ) : null}
      {schema.variants ? <Variants schema={schema} direction={direction} /> : null}
    </>
  )
}

const VARIANT_WORDS = {
  oneOf: 'Exactly one of',
  anyOf: 'At least one of',
  allOf: 'All of',
} as const

function Variants({ schema, direction }: { schema: SchemaView; direction: Direction }) {
  const variants = schema.variants
  if (!variants) return null
  return (
    <div class="variants">
      <p class="nested-label">
        {VARIANT_WORDS[variants.kind]} these {variants.options.length} shapes
        {variants.discriminator ? (
          <>
            , told apart by <code>{variants.discriminator}</code>
          </>
        ) : null}
        :
      </p>
      {variants.options.map((option) => (
        <div class="variant">
          <p class="variant-title">
            <code>{option.title}</code>
            {option.schema.ref && option.title !== option.schema.ref ? (
              <>
                {' '}
                <a class="field-type" href={`#${schemaAnchor(option.schema.ref)}`}>
                  {option.schema.ref}
                </a>
              </>
            ) : null}
          </p>
          <Prose blocks={option.schema.description} />
          <Details schema={option.schema} />
          {option.schema.fields || option.schema.variants || option.schema.items ? (
            <Inside schema={option.schema} direction={direction} />
          ) : (
            <p class="field-head">
              <TypeWords schema={option.schema} />
            </p>
          )}
        </div>
      ))}
    </div>
  )
}
