/**
 * Tests for migration-safety rules (`needs: 'M'`): a project of applied migrations and pending
 * ones, analysed with the pending list as `--since` or a history table would give it.
 */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../src/core/analyze';
import { defaultConfig, type Profile, type ResolvedConfig } from '../../src/core/config';
import type { MigrationLayout } from '../../src/core/discovery/discoverMigrations';
import type { Level } from '../../src/core/finding';
import type { Rule } from '../../src/core/rules/defineRule';
import { loadParser } from '../../src/core/sql/parser';

/** A project: SQL of the applied migrations, then of the pending ones, each its own file. */
export interface MigrationProject {
  applied?: string[];
  pending: string[];
  /** False: no pending list (every file is pending; only tables created in the same file are new). */
  withPendingList?: boolean;
  profile?: Profile;
  config?: Partial<ResolvedConfig>;
  layout?: MigrationLayout;
}

/** The file name of the n-th migration (0-based) of a test project. */
export function migrationPath(index: number): string {
  return `supabase/migrations/2025010100${String(index).padStart(4, '0')}_m${index}.sql`;
}

/** Analyses a test project; applied files first, pending ones after, pending listed as such. */
export function analyzeMigrations(project: MigrationProject): Analysis {
  const texts = [...(project.applied ?? []), ...project.pending];
  const files = texts.map((text, index) => ({ path: migrationPath(index), text }));
  const pendingPaths = files.slice(project.applied?.length ?? 0).map((file) => file.path);
  return analyze({
    files,
    config: { ...defaultConfig(project.profile ?? 'supabase'), ...project.config },
    layout: project.layout ?? 'supabase',
    ...(project.withPendingList === false ? {} : { pending: { paths: new Set(pendingPaths), source: 'test' } }),
  });
}

export interface SafetyFinding {
  object: string;
  /** Index of the file (applied files count) the finding is in. */
  file: number;
  line: number;
  message?: RegExp;
  /** The finding's level when it is not the rule's. */
  level?: Level;
}

export interface SafetyInvalidCase extends MigrationProject {
  findings: SafetyFinding[];
  /** Expected `fix.sql` of the first finding, or `null` for none. */
  fix?: string | RegExp | null;
  /** Expected text the first finding's in-place edit inserts or writes. */
  edit?: string | RegExp;
}

/** Table-driven tests of one safety rule, after `runRuleTests`. */
export function runSafetyRuleTests(rule: Rule, cases: { valid: (MigrationProject & { name?: string })[]; invalid: (SafetyInvalidCase & { name?: string })[] }): void {
  describe(rule.id, () => {
    before(() => loadParser());
    describe('valid', () => {
      for (const [index, testCase] of cases.valid.entries()) {
        it(`#${index + 1} ${testCase.name ?? firstLine(testCase.pending.join('\n'))}`, () => {
          const found = analyzeMigrations(testCase).findings.filter((f) => f.rule === rule.id);
          assert.deepEqual(found.map((f) => `${f.span?.file}:${f.span?.line}: ${f.message}`), []);
        });
      }
    });
    describe('invalid', () => {
      for (const [index, testCase] of cases.invalid.entries()) {
        it(`#${index + 1} ${testCase.name ?? firstLine(testCase.pending.join('\n'))}`, () => {
          const found = analyzeMigrations(testCase).findings.filter((f) => f.rule === rule.id);
          assert.deepEqual(
            found.map((f) => ({ object: f.object, file: f.span?.file, line: f.span?.line })),
            testCase.findings.map((f) => ({ object: f.object, file: migrationPath(f.file), line: f.line })),
          );
          testCase.findings.forEach((expected, i) => {
            if (expected.message) assert.match(found[i].message, expected.message);
            assert.equal(found[i].level, expected.level ?? rule.level);
            assert.equal(found[i].category, 'safety');
          });
          if (testCase.fix === null) assert.equal(found[0]?.fix, undefined);
          else if (typeof testCase.fix === 'string') assert.equal(found[0]?.fix?.sql.trim(), testCase.fix.trim());
          else if (testCase.fix instanceof RegExp) assert.match(found[0]?.fix?.sql ?? '', testCase.fix);
          if (typeof testCase.edit === 'string') assert.equal(found[0]?.fix?.edit?.text, testCase.edit);
          else if (testCase.edit instanceof RegExp) assert.match(found[0]?.fix?.edit?.text ?? '', testCase.edit);
        });
      }
    });
  });
}

function firstLine(sql: string): string {
  return sql.trim().split('\n')[0].slice(0, 70);
}
