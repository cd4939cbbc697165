/**
 * Where a rule's findings are placed, for tests that pin exact ranges: each finding as
 * `line:column-endLine:endColumn text`, the text being what its span covers.
 */
import type { SourceSpan } from '../../src/core/sql/span';
import { analyzeSql } from './ruleTester';

/**
 * The ranges of one rule's findings on SQL analysed as one migration file, by object: a string, or
 * the finding's range followed by its related locations' when it has any. Call `loadParser()` first.
 */
export function findingRanges(ruleId: string, sql: string): Record<string, string | string[]> {
  const describe = (span: SourceSpan) => `${span.line}:${span.column}-${span.endLine}:${span.endColumn} ${sql.slice(span.start, span.end)}`;
  const ranges: Record<string, string | string[]> = {};
  for (const finding of analyzeSql(sql).findings) {
    if (finding.rule !== ruleId || !finding.span) continue;
    const related = finding.related?.map((location) => describe(location.span)) ?? [];
    ranges[finding.object] = related.length > 0 ? [describe(finding.span), ...related] : describe(finding.span);
  }
  return ranges;
}
