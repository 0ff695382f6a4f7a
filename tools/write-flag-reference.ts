/**
 * Writes docs/flags.md, the flag reference, from oclif.manifest.json (which the build writes from
 * the commands themselves), so the reference cannot drift from `--help`. Run by `npm run
 * docs:flags`; test/cli/flag-reference.test.ts fails when the committed file differs.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

interface ManifestFlag {
  name: string
  char?: string
  description?: string
  env?: string
  helpValue?: string
  multiple?: boolean
  type: 'boolean' | 'option'
  allowNo?: boolean
}
interface ManifestCommand {
  summary?: string
  args: Record<string, {name: string; description?: string; required?: boolean}>
  flags: Record<string, ManifestFlag>
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ')

/** The reference as Markdown: one section per command (topics spelled with a space), its arguments and flags. */
export function flagReference(manifest: {commands: Record<string, ManifestCommand>}): string {
  const lines = [
    '# Flag reference',
    '',
    'Generated from the commands themselves (`npm run docs:flags`); `loadplan COMMAND --help` prints the same.',
    'Every flag may also come from the environment where the table names a variable.',
    '',
  ]
  for (const id of Object.keys(manifest.commands).sort()) {
    const command = manifest.commands[id] as ManifestCommand
    lines.push(`## loadplan ${id.replace(/:/g, ' ')}`, '', cell(command.summary ?? ''), '')
    const args = Object.values(command.args)
    if (args.length > 0) {
      lines.push('| argument | description |', '|---|---|')
      for (const arg of args)
        lines.push(`| \`${arg.name}\`${arg.required ? ' (required)' : ''} | ${cell(arg.description ?? '')} |`)
      lines.push('')
    }
    lines.push('| flag | description | environment |', '|---|---|---|')
    for (const flag of Object.values(command.flags)) {
      const value = flag.type === 'option' ? ` ${flag.helpValue ?? 'VALUE'}` : ''
      const names = `${flag.char ? `-${flag.char}, ` : ''}--${flag.allowNo ? '[no-]' : ''}${flag.name}${value}`
      const repeat = flag.multiple ? ' (repeatable)' : ''
      lines.push(`| \`${names}\`${repeat} | ${cell(flag.description ?? '')} | ${flag.env ? `\`${flag.env}\`` : ''} |`)
    }
    lines.push('')
  }
  return lines.join('\n')
}

const root = join(import.meta.dirname, '..', '..')
if (process.argv[1] === import.meta.filename) {
  const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
  writeFileSync(join(root, 'docs', 'flags.md'), flagReference(manifest))
}
