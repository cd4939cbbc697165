/**
 * Finds the statement that defines an object, by its object key, in a catalog replayed from
 * migrations. Findings computed on a live database name objects only; this places them back on
 * the migration that created the object, when one did.
 */
import type { Catalog, Column, Constraint, Origin, Table } from './model';
import type { SourceSpan } from '../sql/span';

/** The defining statement of the object with this key (`table:public.bookings`, ...), if a migration made it. */
export function locateObject(catalog: Catalog, key: string): SourceSpan | undefined {
  // A constraint's or a column's finding goes on its own clause, as the migrations' rules place it.
  if (key.startsWith('constraint:')) {
    const clause = constraintOf(catalog, key.slice('constraint:'.length))?.clauseAt;
    if (clause) return clause;
  }
  if (key.startsWith('column:')) {
    const clause = columnOf(catalog, key.slice('column:'.length))?.clauseAt;
    if (clause) return clause;
  }
  const origin = originOf(catalog, key);
  return origin?.definedAt ?? origin?.changedAt;
}

/** `public.bookings/bookings_vendor_id_fkey`: the table, then the constraint's name after the first slash. */
function constraintOf(catalog: Catalog, name: string): Constraint | undefined {
  const { table, member } = tableMember(catalog, name);
  return table?.constraints.get(member);
}

/** `public.bookings.status`: the table is everything before the last dot. */
function columnOf(catalog: Catalog, name: string): Column | undefined {
  const dot = name.lastIndexOf('.');
  return catalog.tables.get(name.slice(0, dot))?.columns.get(name.slice(dot + 1));
}

/** `public.bookings/Owner reads` (a policy, trigger or constraint key without its kind): the table, and the member's name after the first slash. */
function tableMember(catalog: Catalog, name: string): { table: Table | undefined; member: string } {
  const slash = name.indexOf('/');
  return { table: catalog.tables.get(name.slice(0, slash)), member: name.slice(slash + 1) };
}

function originOf(catalog: Catalog, key: string): Origin | undefined {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const name = key.slice(colon + 1);
  switch (kind) {
    case 'schema':
      return catalog.schemas.get(name)?.origin;
    case 'table':
      return catalog.tables.get(name)?.origin;
    case 'view':
      return catalog.views.get(name)?.origin;
    case 'function':
      return catalog.functions.get(name)?.origin;
    case 'type':
      return catalog.types.get(name)?.origin;
    case 'extension':
      return catalog.extensions.get(name)?.origin;
    case 'sequence':
      return catalog.sequences.get(name)?.origin;
    case 'role':
      return catalog.roles.get(name)?.origin;
    case 'column':
      return columnOf(catalog, name)?.origin;
    case 'index': {
      const dot = name.indexOf('.');
      const schema = name.slice(0, dot);
      const index = name.slice(dot + 1);
      for (const table of catalog.tables.values()) {
        if (table.schema === schema && table.indexes.has(index)) return table.indexes.get(index)!.origin;
      }
      for (const view of catalog.views.values()) {
        if (view.schema === schema && view.indexes.has(index)) return view.indexes.get(index)!.origin;
      }
      return undefined;
    }
    case 'constraint':
      return constraintOf(catalog, name)?.origin;
    case 'policy': {
      const { table, member } = tableMember(catalog, name);
      return table?.policies.get(member)?.origin;
    }
    case 'trigger': {
      const { table, member } = tableMember(catalog, name);
      return table?.triggers.get(member)?.origin;
    }
    case 'cron_job':
      return catalog.cronJobs?.get(name)?.origin;
    default:
      return undefined;
  }
}
