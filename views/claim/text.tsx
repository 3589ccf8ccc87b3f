import type { Child } from 'hono/jsx'
import type { Part } from '../../src/page/i18n/catalogue.ts'

/** A message whose placeholders hold markup: each part as text, or the value for its name. */
export function Rich({ parts, values }: { parts: Part[]; values: Record<string, Child> }) {
  return <>{parts.map((part) => (typeof part === 'string' ? part : values[part.name]))}</>
}

/**
 * Text that reads left to right whatever the page's direction: account numbers, BSBs, PayIDs,
 * references. `bdi` also keeps it from reordering the sentence around it.
 */
export function Ltr({ children }: { children: Child }) {
  return (
    <bdi dir="ltr" class="ltr">
      {children}
    </bdi>
  )
}
