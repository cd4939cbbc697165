import { objectKey, type Expression, type Index, type Table, type View } from '../catalog/model';
import type { Fix, Suggestion } from '../finding';
import { memoizeByNode } from '../sql/memoizeByNode';
import { quoteIdent, quoteQualified } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

export default defineRule({
  id: 'duplicate_index',
  name: 'Duplicate Index',
  level: 'warning',
  category: 'performance',
  needs: 'S',
  description: 'Two indexes on the same table have the same definition apart from their names, so every write maintains both while queries use only one.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    const relations = [...catalog.tables.values(), ...[...catalog.views.values()].filter((view) => view.kind === 'materialized_view')];
    for (const relation of relations) {
      const parent = 'partitionOf' in relation && relation.partitionOf ? catalog.tables.get(relation.partitionOf) : undefined;
      const reportedByParent = parent?.kind === 'partitioned' ? duplicatedSignatures(parent).join('\n') : '';
      reports.push(...judgeRelation(relation, `${relation.schema}.${relation.name}\0${reportedByParent}`, context));
    }
    return reports;
  },
});

/**
 * The reports on one table or materialized view, which read it and the duplicates its partitioned
 * parent reports (in the key, after its name): cached by relation while both are unchanged.
 */
const judgeRelation = memoizeByObject((relation: Table | View, key: string, context: RuleContext): RuleReport[] => {
  const reports: RuleReport[] = [];
  if (relation.platform || context.isManagedSchema(relation.schema)) return reports;
  const [qualifiedTable, reportedByParent] = key.split('\0');
  const parentDuplicates = reportedByParent ? new Set(reportedByParent.split('\n')) : undefined;
  // Indexes are compared by signature only when a cheap key (which equal signatures share) says
  // they may be equal: serialising every index of every table cost more than the rest of the rule.
  const earlierByQuickKey = new Map<string, Index[]>();
  const signatures = new Map<Index, string>();
  const signatureOf = (index: Index): string => {
    let signature = signatures.get(index);
    if (signature === undefined) signatures.set(index, (signature = indexSignature(index)));
    return signature;
  };
  for (const index of relation.indexes.values()) {
    const quickKey = `${index.method}\0${index.unique}\0${index.keys.length}\0${index.keys[0]?.column ?? ''}\0${index.where ? 'where' : ''}`;
    const earlier = earlierByQuickKey.get(quickKey);
    if (!earlier) {
      earlierByQuickKey.set(quickKey, [index]);
      continue;
    }
    const signature = signatureOf(index);
    const first = earlier.find((candidate) => signatureOf(candidate) === signature);
    earlier.push(index);
    // A partition's copies of its parent's duplicate pair are the parent's finding: dropping the
    // parent's index drops them too.
    if (!first || parentDuplicates?.has(signature)) continue;
    reports.push({
      object: `${relation.schema}.${index.name}`,
      objectKey: objectKey.index(relation.schema, index.name),
      message: `Index ${relation.schema}.${index.name} on ${qualifiedTable} duplicates ${relation.schema}.${first.name}.`,
      span: index.origin.definedAt,
      related: first.origin.definedAt ? [{ message: `${relation.schema}.${first.name} is defined here.`, span: first.origin.definedAt }] : undefined,
      // A database lists indexes by name, so it may report the pair on the other index.
      sameProblemAs: [objectKey.index(relation.schema, first.name)],
      ...removeOne(relation, first, index),
    });
  }
  return reports;
});

/** The signatures more than one index of the table has. */
function duplicatedSignatures(table: Table): string[] {
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const index of table.indexes.values()) {
    const signature = indexSignature(index);
    if (seen.has(signature)) duplicated.add(signature);
    seen.add(signature);
  }
  return [...duplicated];
}

/**
 * Everything that makes two indexes answer the same queries: method, uniqueness, keys (columns or
 * parse trees of expressions, with operator class, collation and order), INCLUDE columns and the
 * partial-index predicate. Names and source locations are left out.
 */
function indexSignature(index: Index): string {
  return JSON.stringify([
    index.method,
    index.unique,
    index.keys.map((key) => [key.column ?? null, key.expression ? expressionSignature(key.expression) : null, key.options ?? '']),
    index.include,
    index.where ? expressionSignature(index.where) : null,
  ]);
}

/** The parse tree without `location` fields, or the text when there is no tree. */
function expressionSignature(expression: Expression): string {
  return treeSignature(expression.ast) ?? expression.text;
}

/** Memoized by tree: a re-check serialises only the expressions of edited files. */
const treeSignature = memoizeByNode((ast) => JSON.stringify(ast, (key, value: unknown) => (key === 'location' ? undefined : value)));

/**
 * Drops the later index when neither backs a constraint. An index that implements a primary key or
 * unique constraint cannot be dropped on its own, so when one of the two does, the plain one is
 * offered as a suggestion (foreign keys may depend on the constraint; a person checks).
 */
function removeOne(relation: Table | View, first: Index, later: Index): { fix: Fix } | { suggestions: Suggestion[] } {
  const { schema, name: table } = relation;
  // PostgreSQL cannot drop the index of a partitioned table concurrently; dropped, it goes from every partition.
  const concurrently = relation.kind === 'partitioned' ? '' : 'concurrently ';
  const dropIndex = (index: Index) => ({
    title: `Drop the duplicate index ${schema}.${index.name}`,
    sql: `drop index ${concurrently}if exists ${quoteQualified(schema, index.name)};\n`,
  });
  if (!first.constraint && !later.constraint) return { fix: dropIndex(later) };
  if (!later.constraint) return { suggestions: [dropIndex(later)] };
  if (!first.constraint) return { suggestions: [dropIndex(first)] };
  return {
    suggestions: [
      {
        title: `Drop the duplicate constraint ${later.constraint}`,
        sql: `alter table ${quoteQualified(schema, table)} drop constraint ${quoteIdent(later.constraint)};\n`,
      },
    ],
  };
}
