/**
 * What an editor shows on hover over a name in SQL: the table, functions or policies of that
 * name. In a migration, as the migrations define them once that file ran (an older migration does
 * not see a column added later), saying so when that differs from the state after the last
 * migration; elsewhere (seed, tests), after the last migration. Every editor front end calls this,
 * so they all show the same text.
 */
import { CancelledError, type CancellationToken } from '../cancellation';
import type { AnalysisState, CatalogsAsOf } from '../catalog/catalogsAsOf';
import type { Catalog, Origin, Table } from '../catalog/model';
import type { SourceSpan } from '../sql/span';
import { describeFunctions, describePolicies, describeTable } from './describeObjects';

/** A name as it may be written in SQL: `bookings`, `public.bookings`, `"Owner reads"`. */
const NAME = /("[^"]+"|[A-Za-z_][\w$]*)(\s*\.\s*("[^"]+"|[A-Za-z_][\w$]*))?/g;

/** A name found in a line of text: its 0-based UTF-16 columns, end exclusive. */
export interface NameInLine {
  text: string;
  start: number;
  end: number;
}

/** The name under (or just after) 0-based column `character` of one line, as editors pick a word. */
export function nameAt(lineText: string, character: number): NameInLine | undefined {
  for (const match of lineText.matchAll(NAME)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (start <= character && character <= end) return { text: match[0], start, end };
    if (start > character) break;
  }
  return undefined;
}

/**
 * Markdown describing the object named `name` (as `nameAt` found it), or undefined when no table,
 * function or policy has that name. `file` is the project-relative path of the file being read:
 * when it is one of the analysis's migrations, the object is shown as of that file.
 */
export function describeNameAt(state: AnalysisState, catalogs: CatalogsAsOf, name: string, file: string | undefined, token?: CancellationToken): string | undefined {
  const parts = name.split('.').map((part) => part.trim().replace(/^"|"$/g, ''));
  // An unqualified name resolves as on Supabase's default search path.
  const qualified = parts.length === 2 ? `${parts[0]}.${parts[1]}` : `public.${parts[0]}`;
  const final = state.analysis.catalog;
  const targets = [tableTarget(qualified, parts.length === 2 ? undefined : parts[0]), functionTarget(qualified), policyTarget(parts.length === 1 ? parts[0] : undefined)];
  const index = fileIndexOf(state, file);
  try {
    if (index === undefined) return targets.find((candidate) => candidate.exists(final))?.describe(final);
    const asOf = catalogs.after(state, index, token);
    const target = targets.find((candidate) => candidate.exists(final) || candidate.exists(asOf));
    return target && describeAsOf(state, catalogs, index, asOf, target, token);
  } catch (error) {
    if (error instanceof CancelledError) return undefined;
    throw error;
  }
}

/** The object as of migration `index`, with what changes later. */
function describeAsOf(state: AnalysisState, catalogs: CatalogsAsOf, index: number, asOfCatalog: Catalog, target: HoverTarget, token?: CancellationToken): string | undefined {
  const files = state.analysis.files;
  const final = state.analysis.catalog;
  const here = baseName(files[index].path);
  if (!target.exists(asOfCatalog)) {
    if (!target.exists(final)) return undefined;
    const created = target.spans(final).map((span) => fileIndexOf(state, span?.file)).filter((at): at is number => at !== undefined && at > index);
    return target.describe(final, created.length > 0 ? `not created yet as of ${here}: created later in ${baseName(files[Math.min(...created)].path)}` : `not defined as of ${here}; after the last migration:`);
  }
  if (!target.exists(final)) {
    const dropped = catalogs.droppedAfter(state, index, target.key, (catalog) => target.exists(catalog), token);
    return target.describe(asOfCatalog, `as of ${here} (later dropped or renamed${dropped !== undefined ? ` in ${baseName(files[dropped].path)}` : ''})`);
  }
  const asOf = target.describe(asOfCatalog);
  if (asOf === target.describe(final)) return asOf;
  const later = laterFiles(state, index, target.spans(final));
  return target.describe(asOfCatalog, `as of ${here} (changed later${later.length > 0 ? ` in ${later.map((path) => baseName(path)).join(', ')}` : ''})`);
}

/** What a name under the cursor may be: a table, the functions or the policies of that name, looked up in any catalog. */
interface HoverTarget {
  /** Keys the answers of CatalogsAsOf.droppedAfter. */
  key: string;
  exists(catalog: Catalog): boolean;
  /** Markdown for the object in `catalog`, after a note in italics; undefined when the catalog lacks it. */
  describe(catalog: Catalog, note?: string): string | undefined;
  /** Where the object and its parts were created and last changed, in `catalog`. */
  spans(catalog: Catalog): (SourceSpan | undefined)[];
}

function tableTarget(qualified: string, unqualified: string | undefined): HoverTarget {
  const lookup = (catalog: Catalog): Table | undefined => catalog.tables.get(qualified) ?? (unqualified === undefined ? undefined : catalog.tables.get(unqualified));
  return {
    key: `table:${qualified}`,
    exists: (catalog) => lookup(catalog) !== undefined,
    describe: (catalog, note) => {
      const table = lookup(catalog);
      return table && describeTable(qualified, table, note);
    },
    spans: (catalog) => {
      const table = lookup(catalog);
      if (!table) return [];
      const origins: Origin[] = [table.origin, ...[table.columns, table.constraints, table.indexes, table.policies, table.triggers].flatMap((parts) => [...parts.values()].map((part) => part.origin))];
      return [table.rlsChangedAt, ...origins.flatMap((origin) => [origin.definedAt, origin.changedAt])];
    },
  };
}

function functionTarget(qualified: string): HoverTarget {
  const dot = qualified.indexOf('.');
  const schema = qualified.slice(0, dot);
  const name = qualified.slice(dot + 1);
  return listTarget(`function:${qualified}`, (catalog) => [...catalog.functions.values()].filter((func) => func.schema === schema && func.name === name), describeFunctions);
}

/** The policies named `name` on any table; a qualified name is never a policy's. */
function policyTarget(name: string | undefined): HoverTarget {
  return listTarget(`policy:${name}`, (catalog) => (name === undefined ? [] : [...catalog.tables.values()].flatMap((table) => table.policies.get(name) ?? [])), describePolicies);
}

/** A target that is every object `lookup` finds (overloads, a policy name on several tables), described together. */
function listTarget<T extends { origin: Origin }>(key: string, lookup: (catalog: Catalog) => T[], describe: (objects: T[], note?: string) => string): HoverTarget {
  return {
    key,
    exists: (catalog) => lookup(catalog).length > 0,
    describe: (catalog, note) => {
      const objects = lookup(catalog);
      return objects.length > 0 ? describe(objects, note) : undefined;
    },
    spans: (catalog) => lookup(catalog).flatMap((object) => [object.origin.definedAt, object.origin.changedAt]),
  };
}

function fileIndexOf(state: AnalysisState, path: string | undefined): number | undefined {
  if (path === undefined) return undefined;
  const index = state.analysis.files.findIndex((file) => file.path === path);
  return index >= 0 ? index : undefined;
}

/** The migrations after `index` that created or changed the object or one of its parts, in order (at most three). */
function laterFiles(state: AnalysisState, index: number, spans: (SourceSpan | undefined)[]): string[] {
  const later = new Set<number>();
  for (const span of spans) {
    const at = fileIndexOf(state, span?.file);
    if (at !== undefined && at > index) later.add(at);
  }
  return [...later].sort((a, b) => a - b).slice(0, 3).map((at) => state.analysis.files[at].path);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
