/**
 * Every rule has docs/rules/<id>.md in splinter's outline; its Summary is the rule's description,
 * its "triggers" example yields the finding and its "fixed" example does not.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../src/core/config';
import { allRules } from '../../src/core/rules';
import { loadParser } from '../../src/core/sql/parser';
import { analyzeSql } from '../support/ruleTester';
import { analyzeMigrations } from '../support/safetyTester';

const root = join(__dirname, '..', '..');
const SECTIONS = ['## Summary', '## Ramification', '## Rationale', '## How to Resolve', '## Example', '## When Not To Use It'];

describe('rule docs', () => {
  before(() => loadParser());
  for (const rule of allRules) {
    describe(rule.id, () => {
      const path = join(root, rule.docsPath);
      it('has a doc with every section and the description as its summary', () => {
        assert.ok(existsSync(path), `missing ${rule.docsPath}`);
        const doc = readFileSync(path, 'utf8');
        assert.ok(doc.startsWith(`# ${rule.id}\n`), 'the title is the rule id');
        for (const section of SECTIONS) assert.ok(doc.includes(`\n${section}\n`), `missing section ${section}`);
        const summary = doc.split('## Summary\n')[1]?.split('\n## ')[0].trim().replace(/\s+/g, ' ');
        assert.equal(summary, rule.description);
        assert.match(doc, new RegExp(`Level: ${rule.level} · Category: ${rule.category}`));
      });
      if (rule.needs === 'S' || rule.needs === 'G') {
        it('its triggers example yields the finding and its fixed example does not', () => {
          const doc = readFileSync(path, 'utf8');
          const triggers = /```sql triggers\n([\s\S]*?)```/.exec(doc)?.[1];
          const fixed = /```sql fixed\n([\s\S]*?)```/.exec(doc)?.[1];
          assert.ok(triggers && fixed, 'the Example has a "sql triggers" and a "sql fixed" block');
          // A doc whose example needs settings says so in a `<!-- pgreview.json {...} -->` comment.
          const settings = /<!-- pgreview\.json (\{.*\}) -->/.exec(doc)?.[1];
          const config = settings ? (JSON.parse(settings) as Partial<ResolvedConfig>) : {};
          assert.ok(analyzeSql(triggers, 'supabase', config).findings.some((f) => f.rule === rule.id), 'triggers block yields no finding');
          assert.deepEqual(analyzeSql(fixed, 'supabase', config).findings.filter((f) => f.rule === rule.id).map((f) => f.message), []);
        });
      }
      if (rule.needs === 'M') {
        it('its triggers example, pending after the applied one, yields the finding and its fixed example does not', () => {
          const doc = readFileSync(path, 'utf8');
          const applied = /```sql applied\n([\s\S]*?)```/.exec(doc)?.[1];
          const triggers = /```sql triggers\n([\s\S]*?)```/.exec(doc)?.[1];
          const fixed = /```sql fixed\n([\s\S]*?)```/.exec(doc)?.[1];
          assert.ok(applied !== undefined && triggers && fixed, 'the Example has "sql applied", "sql triggers" and "sql fixed" blocks');
          assert.ok(analyzeMigrations({ applied: [applied], pending: [triggers] }).findings.some((f) => f.rule === rule.id), 'triggers block yields no finding');
          assert.deepEqual(analyzeMigrations({ applied: [applied], pending: [fixed] }).findings.filter((f) => f.rule === rule.id).map((f) => f.message), []);
        });
      }
    });
  }
});
