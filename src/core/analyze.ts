/**
 * The engine's entry point: migration files in, catalog and located findings out. No IO: callers
 * pass file texts (saved or not) and the resolved configuration.
 */
import { throwIfCancelled, type CancellationToken } from './cancellation';
import type { Catalog } from './catalog/model';
import { createBaselineCatalog, isManagedSchema } from './catalog/platform';
import { replayStatement } from './catalog/replay/replayStatement';
import { DEFAULT_SEARCH_PATH, type ReplayProblem, type ReplayState } from './catalog/replay/replayState';
import type { ResolvedConfig } from './config';
import type { Finding, Level } from './finding';
import { allRules, rulesById } from './rules';
import type { Rule, RuleReport } from './rules/defineRule';
import type { RuleContext } from './rules/ruleContext';
import { parseSqlFile, type ParsedFile, type ParseProblem } from './sql/parseSqlFile';
import { applySuppressions } from './suppression';

/** A migration file: path relative to the project root (forward slashes) and its text. */
export interface MigrationFile {
  path: string;
  text: string;
}

export interface AnalyzeInput {
  /** The migrations, already discovered and in the order they apply. */
  files: MigrationFile[];
  config: ResolvedConfig;
}

export interface Analysis {
  /** The schema the migrations define. */
  catalog: Catalog;
  files: ParsedFile[];
  /** Sorted by file order, then position. */
  findings: Finding[];
  /** Config entries that name no rule: worth a warning, never a crash. */
  unknownRules: string[];
}

/**
 * Keeps the parse of each file between runs, keyed by its text, so that an edit re-parses only
 * the edited file. One Analyzer per workspace; `analyze` may be called as often as the text changes.
 */
export class Analyzer {
  private readonly parsed = new Map<string, ParsedFile>();

  analyze(input: AnalyzeInput, token?: CancellationToken): Analysis {
    const files: ParsedFile[] = [];
    const seen = new Set<string>();
    for (const file of input.files) {
      throwIfCancelled(token);
      let parsed = this.parsed.get(file.path);
      if (!parsed || parsed.text !== file.text) {
        parsed = parseSqlFile(file.path, file.text);
        this.parsed.set(file.path, parsed);
      }
      files.push(parsed);
      seen.add(file.path);
    }
    for (const path of this.parsed.keys()) if (!seen.has(path)) this.parsed.delete(path);
    return analyzeParsedFiles(files, input.config, token);
  }
}

/** Analyses migration files once. */
export function analyze(input: AnalyzeInput, token?: CancellationToken): Analysis {
  return new Analyzer().analyze(input, token);
}

/** Replays parsed files into a catalog and runs the rules over it. */
export function analyzeParsedFiles(files: ParsedFile[], config: ResolvedConfig, token?: CancellationToken): Analysis {
  const catalog = createBaselineCatalog(config);
  const problems: (ParseProblem | ReplayProblem)[] = [];
  const replayProblems: ReplayProblem[] = [];
  for (const file of files) {
    problems.push(...file.problems);
    if (file.statements.length === 0) continue;
    // Session settings (search_path, role) last until the end of the file, as in one psql session.
    const state: ReplayState = {
      catalog,
      searchPath: [...DEFAULT_SEARCH_PATH],
      currentRole: catalog.migrationRole,
      file,
      statement: file.statements[0],
      problems: replayProblems,
    };
    for (const statement of file.statements) {
      state.statement = statement;
      replayStatement(state);
    }
    problems.push(...replayProblems.splice(0));
    throwIfCancelled(token);
  }
  const fileTexts = new Map(files.map((file) => [file.path, file.text]));
  const context: RuleContext = {
    profile: config.profile,
    isManagedSchema: (schema) => isManagedSchema(config.profile, schema),
    sourceText: (span) => fileTexts.get(span.file)?.slice(span.start, span.end),
  };
  const findings: Finding[] = [];
  for (const problem of problems) {
    const rule = rulesById.get(problem.rule);
    if (!rule) continue;
    const object = 'object' in problem && problem.object ? problem.object : problem.span.file;
    const key = 'objectKey' in problem && problem.objectKey ? problem.objectKey : `file:${problem.span.file}:${problem.span.line}`;
    pushFinding(findings, rule, config, { object, objectKey: key, message: problem.message, span: problem.span });
  }
  for (const rule of allRules) {
    if (rule.needs === 'engine' || rule.needs === 'L' || config.rules[rule.id] === 'off') continue;
    throwIfCancelled(token);
    for (const report of rule.check(catalog, context)) pushFinding(findings, rule, config, report);
  }
  const fileOrder = new Map(files.map((file, index) => [file.path, index]));
  findings.sort((a, b) => compareFindings(a, b, fileOrder));
  return {
    catalog,
    files,
    findings: applySuppressions(findings, files),
    unknownRules: Object.keys(config.rules).filter((id) => !rulesById.has(id)),
  };
}

function pushFinding(findings: Finding[], rule: Rule, config: ResolvedConfig, report: RuleReport): void {
  const setting = config.rules[rule.id];
  if (setting === 'off') return;
  const level: Level = setting ?? rule.level;
  findings.push({ rule: rule.id, level, category: rule.category, key: `${rule.id}:${report.objectKey}`, ...report });
}

function compareFindings(a: Finding, b: Finding, fileOrder: Map<string, number>): number {
  const fileA = a.span ? fileOrder.get(a.span.file) ?? Infinity : Infinity;
  const fileB = b.span ? fileOrder.get(b.span.file) ?? Infinity : Infinity;
  if (fileA !== fileB) return fileA - fileB;
  const offset = (a.span?.start ?? 0) - (b.span?.start ?? 0);
  if (offset !== 0) return offset;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.object < b.object ? -1 : a.object > b.object ? 1 : 0;
}
