import type { Block, Inline, Markdown } from '../../src/docs/markdown.ts'

/** Parsed Markdown as elements; every piece of text goes through JSX's escaping. */
export function Prose({ blocks, class: className }: { blocks?: Markdown; class?: string }) {
  if (!blocks || blocks.length === 0) return null
  return (
    <div class={className ? `prose ${className}` : 'prose'}>
      {blocks.map((block) => (
        <BlockElement block={block} />
      ))}
    </div>
  )
}

function BlockElement({ block }: { block: Block }) {
  if (block.kind === 'code') {
    return (
      <pre>
        <code>{block.text}</code>
      </pre>
    )
  }
  if (block.kind === 'paragraph') {
    return (
      <p>
        <Spans nodes={block.children} />
      </p>
    )
  }
  const items = block.items.map((item) => (
    <li>
      <Spans nodes={item} />
    </li>
  ))
  if (!block.ordered) return <ul>{items}</ul>
  return <ol start={block.start === 1 ? undefined : block.start}>{items}</ol>
}

/**
 * Inline Markdown (one line of it), for places where a block would not fit. Inside a `<summary>`
 * links are left as their text (`links={false}`): a link in a control cannot be reached.
 */
export function Spans({ nodes, links = true }: { nodes: Inline[]; links?: boolean }) {
  return (
    <>
      {nodes.map((node) => (
        <Span node={node} links={links} />
      ))}
    </>
  )
}

function Span({ node, links }: { node: Inline; links: boolean }) {
  if (node.kind === 'text') return <>{node.text}</>
  if (node.kind === 'code') return <code>{node.text}</code>
  const inner = <Spans nodes={node.children} links={links} />
  if (node.kind === 'strong') return <strong>{inner}</strong>
  if (node.kind === 'em') return <em>{inner}</em>
  return links ? <a href={node.href}>{inner}</a> : inner
}
