import { describe, expect, it } from 'vitest'
import { type Inline, parseInline, parseMarkdown, plainText } from './markdown.ts'

const text = (t: string): Inline => ({ kind: 'text', text: t })
const code = (t: string): Inline => ({ kind: 'code', text: t })

describe('parseInline', () => {
  it.for([
    ['plain words', [text('plain words')]],
    ['use `ck_…` here', [text('use '), code('ck_…'), text(' here')]],
    ['``a ` b``', [code('a ` b')]],
    ['`` `x` ``', [code('`x`')]],
    ['an `unclosed tick', [text('an `unclosed tick')]],
    ['**bold** end', [{ kind: 'strong', children: [text('bold')] }, text(' end')]],
    [
      '*it* and _it_',
      [
        { kind: 'em', children: [text('it')] },
        text(' and '),
        { kind: 'em', children: [text('it')] },
      ],
    ],
    ['__strong__', [{ kind: 'strong', children: [text('strong')] }]],
    ['**`code` inside**', [{ kind: 'strong', children: [code('code'), text(' inside')] }]],
    ['request_id and OPERATOR_TOKEN', [text('request_id and OPERATOR_TOKEN')]],
    ['snake_case_name', [text('snake_case_name')]],
    ['2 * 3 * 4', [text('2 * 3 * 4')]],
    ['\\*not em\\*', [text('*not em*')]],
    ['a\nsoft break', [text('a soft break')]],
  ] as [string, Inline[]][])('%s', ([source, expected]) => {
    expect(parseInline(source)).toEqual(expected)
  })

  it('keeps links to web, mail and in-page addresses', () => {
    expect(parseInline('see [the docs](https://example.com/a?b=1) now')).toEqual([
      text('see '),
      { kind: 'link', href: 'https://example.com/a?b=1', children: [text('the docs')] },
      text(' now'),
    ])
    expect(parseInline('[mail](mailto:ops@example.com)')[0]).toMatchObject({ kind: 'link' })
    expect(parseInline('[up](#generateClaim)')[0]).toMatchObject({ href: '#generateClaim' })
    expect(parseInline('[raw](/openapi.json)')[0]).toMatchObject({ href: '/openapi.json' })
    expect(parseInline('[**b**](https://x.test)')[0]).toMatchObject({
      children: [{ kind: 'strong', children: [text('b')] }],
    })
  })

  it.for([
    ['[x](javascript:alert(1))'],
    ['[x](JaVaScRiPt:alert(1))'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)'],
    ['[x](//evil.example/path)'],
    ['[x](vbscript:msgbox)'],
  ] as [string][])('drops the address of %s but keeps its text', ([source]) => {
    const nodes = parseInline(source)
    expect(nodes.some((n) => n.kind === 'link')).toBe(false)
    expect(nodes[0]).toEqual(text('x'))
  })

  it('leaves HTML as text for the view to escape', () => {
    expect(parseInline('<script>alert(1)</script> <b>x</b>')).toEqual([
      text('<script>alert(1)</script> <b>x</b>'),
    ])
  })
})

describe('parseMarkdown', () => {
  it('splits paragraphs on blank lines', () => {
    expect(parseMarkdown('One\nline.\n\nTwo.')).toEqual([
      { kind: 'paragraph', children: [text('One line.')] },
      { kind: 'paragraph', children: [text('Two.')] },
    ])
  })

  it('reads bullet and numbered lists, with continuation lines', () => {
    expect(
      parseMarkdown('Codes:\n- `0` approved\n- `51` insufficient\n  funds\n\n3. third\n4. fourth'),
    ).toEqual([
      { kind: 'paragraph', children: [text('Codes:')] },
      {
        kind: 'list',
        ordered: false,
        start: 1,
        items: [
          [code('0'), text(' approved')],
          [code('51'), text(' insufficient funds')],
        ],
      },
      { kind: 'list', ordered: true, start: 3, items: [[text('third')], [text('fourth')]] },
    ])
  })

  it('keeps fenced code as it is written', () => {
    expect(parseMarkdown('Body:\n```json\n{"a": *1*}\n```\nAfter.')).toEqual([
      { kind: 'paragraph', children: [text('Body:')] },
      { kind: 'code', text: '{"a": *1*}' },
      { kind: 'paragraph', children: [text('After.')] },
    ])
  })

  it('gives nothing for an empty description', () => {
    expect(parseMarkdown('')).toEqual([])
    expect(parseMarkdown('\n\n')).toEqual([])
  })

  it('has a plain-text form without the marks', () => {
    expect(plainText('Use **`ck_…`** keys, see [docs](https://x.test).\n\n- one')).toBe(
      'Use ck_… keys, see docs. one',
    )
  })
})
