/**
 * Table-driven rule tests, after typescript-eslint's RuleTester: `valid` SQL yields no finding of
 * the rule, each `invalid` case yields exactly the listed findings (and the fix, when given).
 */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../src/core/analyze';
import { defaultConfig, type Profile, type ResolvedConfig } from '../../src/core/config';
import type { Rule } from '../../src/core/rules/defineRule';
import { loadParser } from '../../src/core/sql/parser';

export interface ExpectedFinding {
  /** Qualified object name, `public.bookings`. */
  object: string;
  /** 1-based line of the statement the finding is placed on. */
  line: number;
  message?: RegExp;
}

export interface InvalidCase {
  sql: string;
  findings: ExpectedFinding[];
  /** Expected `fix.sql` of the first finding; `null` asserts there is no fix. */
  fix?: string | RegExp | null;
  /** Expected `sql` of the first finding's first suggestion. */
  suggestion?: string;
  profile?: Profile;
  config?: Partial<ResolvedConfig>;
}

export interface ValidCase {
  sql: string;
  profile?: Profile;
  config?: Partial<ResolvedConfig>;
}

/** Analyses SQL as one Supabase migration file (`supabase/migrations/0001_test.sql`). */
export function analyzeSql(sql: string, profile: Profile = 'supabase', config: Partial<ResolvedConfig> = {}): Analysis {
  return analyze({ files: [{ path: 'supabase/migrations/0001_test.sql', text: sql }], config: { ...defaultConfig(profile), ...config } });
}

export function runRuleTests(rule: Rule, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    before(() => loadParser());
    describe('valid', () => {
      for (const [index, entry] of cases.valid.entries()) {
        const testCase = typeof entry === 'string' ? { sql: entry } : entry;
        it(`#${index + 1} ${firstLine(testCase.sql)}`, () => {
          const found = analyzeSql(testCase.sql, testCase.profile, testCase.config).findings.filter((f) => f.rule === rule.id);
          assert.deepEqual(found.map((f) => `${f.object}:${f.span?.line}: ${f.message}`), []);
        });
      }
    });
    describe('invalid', () => {
      for (const [index, testCase] of cases.invalid.entries()) {
        it(`#${index + 1} ${firstLine(testCase.sql)}`, () => {
          const found = analyzeSql(testCase.sql, testCase.profile, testCase.config).findings.filter((f) => f.rule === rule.id);
          assert.deepEqual(
            found.map((f) => ({ object: f.object, line: f.span?.line })),
            testCase.findings.map((f) => ({ object: f.object, line: f.line })),
          );
          testCase.findings.forEach((expected, i) => {
            if (expected.message) assert.match(found[i].message, expected.message);
            assert.equal(found[i].level, rule.level);
            assert.equal(found[i].category, rule.category);
          });
          if (testCase.fix === null) assert.equal(found[0]?.fix, undefined);
          else if (typeof testCase.fix === 'string') assert.equal(found[0]?.fix?.sql.trim(), testCase.fix.trim());
          else if (testCase.fix instanceof RegExp) assert.match(found[0]?.fix?.sql ?? '', testCase.fix);
          if (testCase.suggestion !== undefined) assert.equal(found[0]?.suggestions?.[0]?.sql.trim(), testCase.suggestion.trim());
        });
      }
    });
  });
}

function firstLine(sql: string): string {
  return sql.trim().split('\n')[0].slice(0, 70);
}
