import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Inside the repository, so `cashout/client` resolves as a dependent's import does: by exports. */
const OUT = join(ROOT, 'test-output', 'readme-examples')

interface Block {
  /** README.md's line of the block's first line of code. */
  line: number
  code: string
}

function typescriptBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let open: { line: number; lines: string[] } | undefined
  markdown.split('\n').forEach((text, index) => {
    if (!open && /^```(ts|typescript)\s*$/.test(text)) open = { line: index + 2, lines: [] }
    else if (open && text.trimEnd() === '```') {
      blocks.push({ line: open.line, code: `${open.lines.join('\n')}\n` })
      open = undefined
    } else open?.lines.push(text)
  })
  return blocks
}

test("README's TypeScript examples compile against the generated client", () => {
  const blocks = typescriptBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'))
  expect(blocks.length).toBeGreaterThanOrEqual(6)
  const sources = blocks.map((b) => b.code).join('\n')
  for (const used of ["from 'cashout/client'", 'verifyWebhook(', 'createOperatorClient(']) {
    expect(sources).toContain(used)
  }

  rmSync(OUT, { recursive: true, force: true })
  mkdirSync(OUT, { recursive: true })
  // What `npx openapi-typescript …/openapi.json -o cashout-api.ts` writes, for the example
  // that generates its own types.
  writeFileSync(
    join(OUT, 'cashout-api.ts'),
    readFileSync(join(ROOT, 'src/client/schema.ts'), 'utf8'),
  )
  const files = new Map<string, Block>()
  for (const block of blocks) {
    const file = join(OUT, `readme-line-${block.line}.ts`)
    writeFileSync(file, block.code)
    files.set(file, block)
  }

  // The repository's own compiler options: strict, as strict as a careful provider's.
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT)
  const program = ts.createProgram([...files.keys()], { ...options, noEmit: true })
  // The examples' own diagnostics: schema.ts is type-checked with the rest of src (npm run typecheck).
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...files.keys()].flatMap((file) => {
      const source = program.getSourceFile(file)
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
    }),
  ]
  const problems = diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ')
    const block = d.file ? files.get(d.file.fileName) : undefined
    if (!d.file || d.start === undefined) return `TS${d.code}: ${message}`
    const at = d.file.getLineAndCharacterOfPosition(d.start)
    const where = block
      ? `README.md:${block.line + at.line}:${at.character + 1}`
      : `${d.file.fileName}:${at.line + 1}:${at.character + 1}`
    return `${where} TS${d.code}: ${message}`
  })
  // The count, with the diagnostics as the message: a diff of the list would print them twice.
  expect(
    problems.length,
    `README's TypeScript examples do not compile:\n${problems.join('\n')}`,
  ).toBe(0)
}, 60_000)
