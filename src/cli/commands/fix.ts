/**
 * `pgreview fix [PROJECT_DIR]`: writes one new migration with the fixes that need no choice,
 * grouped by rule, for a person to review. It applies nothing, to no database.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { analyzeParsedFiles } from '../../core/analyze';
import { throwIfCancelled } from '../../core/cancellation';
import { migrationSlugOf, nextMigrationPath, renderNewMigrationText, type MigrationSequence } from '../../core/discovery/nextMigrationPath';
import { InputError } from '../../core/errors';
import { rulesById } from '../../core/rules';
import { planBulkFixes, type BulkFixPlan } from '../../core/rules/planBulkFixes';
import { loadParserForOneRun } from '../../node/loadParserForOneRun';
import { parseMigrationFiles } from '../../node/parseMigrationFiles';
import { EXIT_CODE, type Command, type CommandContext } from '../command';
import { loadProjectDirectory } from '../loadProjectDirectory';
import { parseCommandArgs } from '../parseCommandArgs';

const fix: Command = {
  help: [
    'Usage: pgreview fix [PROJECT_DIR] [options]',
    '',
    'Writes one new migration (after every existing one, named as the project\'s migration tool',
    'expects) with the fixes that need no choice of the findings `pgreview check` reports,',
    'grouped by rule, each identical fix once. Fixes a person has to choose between are left',
    'out, and so are fixes that only edit a statement in place (listed as skipped).',
    'Nothing is applied: review the file, then apply it with your migration tool.',
    '',
    'Options:',
    '  --rule RULE   Only the fixes of this rule (repeat for several)',
    '  --dry-run     Print the migration instead of writing it',
    '  -h, --help    Show this help',
    '',
    'Exit codes: 0 written (or nothing to fix), 2 usage or input error.',
    '',
  ].join('\n'),
  run: runFix,
};
export default fix;

async function runFix(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { rule: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' } }, 'fix');
  if (positionals.length > 1) throw new InputError(`fix takes one PROJECT_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const rules = values.rule ?? [];
  const unknown = rules.filter((rule) => !rulesById.has(rule));
  if (unknown.length > 0) throw new InputError(`unknown rule ${unknown.map((rule) => `"${rule}"`).join(', ')} (the rules are listed in the README's rule table)`);

  await loadParserForOneRun();
  throwIfCancelled(context.token);
  const { project, projectDir } = loadProjectDirectory(context, positionals[0] ?? '.');
  const parsedFiles = await parseMigrationFiles(project.files, { token: context.token });
  // A turn of the event loop, for a Ctrl-C pressed while the main thread was parsing.
  await new Promise((resolve) => setImmediate(resolve));
  throwIfCancelled(context.token);
  const analysis = analyzeParsedFiles(parsedFiles, project.config, context.token);
  const plan = planBulkFixes([...project.findings, ...analysis.findings], rules);
  throwIfCancelled(context.token);

  const displayPath = (file: string) => relative(context.cwd, join(projectDir, file)).split(sep).join('/');
  if (plan.sql === '') {
    context.stdout(`Nothing to fix: no finding${rules.length > 0 ? ` of ${rules.join(', ')}` : ''} has a fix that needs no choice.\n`);
    reportSkipped(plan, displayPath, context);
    return EXIT_CODE.ok;
  }
  const text = renderNewMigrationText(project.layout, plan.title, plan.sql);
  if (values['dry-run']) {
    context.stdout(text);
    context.stderr(`pgreview: dry run: would write ${displayPath(nextMigrationPath(project, migrationSlugOf(plan.title), new Date()))} (${describeCounts(plan)}); nothing written\n`);
    return EXIT_CODE.ok;
  }
  const written = writeNewMigration(projectDir, project, plan.title, text);
  context.stdout(`Wrote ${displayPath(written)}: ${describeCounts(plan)}. Nothing was applied: review it, then apply it with your migration tool.\n`);
  const width = Math.max(...plan.rules.map((entry) => entry.rule.length));
  for (const entry of plan.rules) context.stdout(`  ${entry.rule.padEnd(width)}  ${plural(entry.fixes, 'fix', 'fixes')} for ${plural(entry.findings, 'finding', 'findings')}\n`);
  reportSkipped(plan, displayPath, context);
  return EXIT_CODE.ok;
}

/**
 * Creates the migration without ever replacing a file: a name already taken (a fix written in the
 * same second) moves to the next version.
 */
function writeNewMigration(projectDir: string, sequence: MigrationSequence, title: string, text: string): string {
  const now = new Date();
  for (let taken = 0; ; taken++) {
    const path = nextMigrationPath(sequence, migrationSlugOf(title), now, taken);
    const absolute = join(projectDir, path);
    try {
      mkdirSync(dirname(absolute), { recursive: true });
      writeFileSync(absolute, text, { flag: 'wx' });
      return path;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new InputError(`cannot write the fix migration ${path} (${code ?? String(error)})`, { cause: error });
    }
  }
}

function reportSkipped(plan: BulkFixPlan, displayPath: (file: string) => string, context: CommandContext): void {
  if (plan.skipped.length === 0) return;
  context.stdout(`Skipped ${plural(plan.skipped.length, 'fix', 'fixes')} that a new migration cannot hold:\n`);
  for (const { finding, reason } of plan.skipped) {
    const where = finding.span ? `${displayPath(finding.span.file)}:${finding.span.line}: ` : '';
    context.stdout(`  ${where}${finding.rule} on ${finding.object}: ${reason}\n`);
  }
}

function describeCounts(plan: BulkFixPlan): string {
  const fixes = plan.rules.reduce((sum, entry) => sum + entry.fixes, 0);
  const findings = plan.rules.reduce((sum, entry) => sum + entry.findings, 0);
  return `${plural(fixes, 'fix', 'fixes')} for ${plural(findings, 'finding', 'findings')} of ${plural(plan.rules.length, 'rule', 'rules')}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
