/**
 * object_dropped_but_referenced: a statement that needs a table, column or function which an
 * earlier migration dropped or which no migration created. The replay reports it while it still
 * knows the order of statements; the rule itself only carries the metadata.
 */
import type { SourceSpan } from '../../sql/span';
import { listDependents } from '../dependents';
import { objectKey } from '../model';
import { isManagedSchema } from '../platform';
import { replayMemoryOf } from './replayMemory';
import type { ReplayState } from './replayState';
import { splitQualified } from './names';

/** The kinds of object the rule reports references to. */
export type ReferencedKind = 'table' | 'column' | 'function';

/** Records that a DROP (or a RENAME, with the new name) removed an object, so a later reference can name it. */
export function recordDropped(state: ReplayState, key: string, renamedTo?: string): void {
  replayMemoryOf(state.catalog).dropped.set(key, { span: state.statement.span, renamedTo });
}

/** Forgets a drop once the object is created again. */
export function recordCreated(state: ReplayState, key: string): void {
  const dropped = replayMemoryOf(state.catalog).dropped;
  if (dropped.size > 0) dropped.delete(key);
}

/**
 * Reports a reference to a missing object. It stays silent, on purpose, whenever the object might
 * exist after all: under IF EXISTS, in a schema the platform manages or that no migration created
 * (unless the object was seen there and then dropped, renamed or moved),
 * after dynamic SQL (a DO block could have created it), for functions in a schema holding an
 * extension, and for tables in a schema holding an extension known to create tables (extensions
 * create objects the replay does not know).
 *
 * @param qualified `schema.table` for tables, `schema.table.column` for columns, the function key for functions.
 */
export function reportMissing(state: ReplayState, kind: ReferencedKind, qualified: string, ifExists = false): void {
  if (ifExists || state.insideDoBlock) return;
  const memory = replayMemoryOf(state.catalog);
  if (memory.sawDynamicSql) return;
  const [schema] = splitQualified(qualified);
  const key = keyOf(kind, qualified);
  const droppedAt = memory.dropped.get(key);
  // A schema no migration created is unknown territory, unless the replay saw the object leave it.
  if (isManagedSchema('supabase', schema) || (!state.catalog.schemas.has(schema) && !droppedAt)) return;
  for (const extension of state.catalog.extensions.values()) {
    if (extension.schema !== schema) continue;
    if (kind === 'function' || (kind === 'table' && TABLE_CREATING_EXTENSIONS.has(extension.name))) return;
  }
  // One statement can name the same missing object twice (two foreign keys); report it once.
  const last = state.problems[state.problems.length - 1];
  if (last && last.objectKey === key && last.span === state.statement.span) return;
  const what = kind === 'function' ? `function ${qualified}` : kind === 'column' ? `column ${qualified}` : `table ${qualified}`;
  const place = droppedAt ? `${droppedAt.span.file}:${droppedAt.span.line}` : '';
  const message = !droppedAt
    ? `This statement refers to ${what}, which no earlier migration creates; the migration will fail here.`
    : droppedAt.renamedTo
      ? `This statement refers to ${what}, which was renamed to ${droppedAt.renamedTo} earlier (${place}); the migration will fail here.`
      : `This statement refers to ${what}, which was dropped earlier (${place}); the migration will fail here.`;
  state.problems.push({ rule: 'object_dropped_but_referenced', message, span: state.statement.span, object: qualified, objectKey: key });
}

/**
 * A CREATE without IF NOT EXISTS or OR REPLACE of an object that already exists: PostgreSQL
 * refuses it (`relation "..." already exists`, 42P07 / 42710 / 42723) and the migration stops
 * there, as `supabase db reset` shows. The caller keeps the existing object, as PostgreSQL does.
 * Silent after dynamic SQL (a DO block may have dropped the object) and for the platform's objects,
 * which pgreview knows only in part.
 *
 * @param kind What the statement creates: `table`, `index`, `policy`, `function`.
 * @param name How messages name it: `public.bookings`, `"Owners read" on public.bookings`.
 * @param existing The object in the way; its `kind` when it differs (an index named like a table).
 */
export function reportAlreadyExists(state: ReplayState, kind: string, name: string, object: string, existing: ExistingObject): void {
  if (!mayReportExisting(state, object, existing)) return;
  const where = createdAtText(existing);
  state.problems.push({
    rule: 'object_already_exists',
    message: `This statement creates ${kind} ${name}, but ${existing.kind ?? kind} ${name} already exists${where}; PostgreSQL refuses it and the migration will fail here.`,
    span: state.statement.span,
    object,
  });
}

/**
 * A CREATE ... IF NOT EXISTS that PostgreSQL skips (with only a notice) although it defines the
 * object differently from the one that exists: what the statement adds is silently not there.
 *
 * @param difference What the skipped definition would have changed, such as `columns total, currency are not added`.
 */
export function reportIfNotExistsSkipped(state: ReplayState, what: string, object: string, existing: ExistingObject, difference: string): void {
  if (!mayReportExisting(state, object, existing)) return;
  const where = createdAtText(existing);
  state.problems.push({
    rule: 'if_not_exists_skipped',
    message: `${what[0].toUpperCase()}${what.slice(1)} already exists${where}, so PostgreSQL skips this IF NOT EXISTS definition: ${difference}.`,
    span: state.statement.span,
    object,
  });
}

/** An object a CREATE meets: what it is, whether the platform made it, and where a migration created it. */
export interface ExistingObject {
  kind?: string;
  platform?: boolean;
  origin?: { definedAt?: SourceSpan };
}

/** ` (created at file:line)`, or nothing when no migration made the object. */
function createdAtText(existing: ExistingObject): string {
  const span = existing.origin?.definedAt;
  return span ? ` (created at ${span.file}:${span.line})` : '';
}

function mayReportExisting(state: ReplayState, object: string, existing: ExistingObject): boolean {
  if (existing.platform || state.insideDoBlock || replayMemoryOf(state.catalog).sawDynamicSql) return false;
  return !isManagedSchema('supabase', splitQualified(object)[0]);
}

/**
 * A DROP without CASCADE of an object that others still depend on: PostgreSQL refuses it
 * ("cannot drop ... because other objects depend on it") and the migration stops there. Reports it
 * and returns true, so the caller leaves the object in place. After dynamic SQL (which may have
 * dropped the dependents) and in schemas the platform manages it stays silent and returns false:
 * the drop is trusted.
 *
 * @param what `type public.booking_status`, `table public.bookings`, `function public.f()`.
 * @param dependents What still depends on it, as `column public.bookings.status`; none means no problem.
 */
export function reportDropBlocked(state: ReplayState, what: string, object: string, key: string, dependents: string[]): boolean {
  if (dependents.length === 0 || replayMemoryOf(state.catalog).sawDynamicSql) return false;
  // The platform's own objects are known only in part: its drops are trusted, as its references are.
  if (isManagedSchema('supabase', splitQualified(object)[0])) return false;
  const message = `This statement drops ${what} without CASCADE while ${listDependents(dependents)} still ${dependents.length > 1 ? 'depend' : 'depends'} on it; PostgreSQL refuses the drop and the migration will fail here.`;
  state.problems.push({ rule: 'object_dropped_but_referenced', message, span: state.statement.span, object, objectKey: key });
  return true;
}

/** Extensions that create tables in their schema (postgis's spatial_ref_sys, ...), which migrations then grant on. */
const TABLE_CREATING_EXTENSIONS = new Set(['postgis', 'postgis_topology', 'postgis_tiger_geocoder', 'pgmq', 'pg_partman', 'timescaledb', 'pg_cron']);

function keyOf(kind: ReferencedKind, qualified: string): string {
  if (kind === 'function') return objectKey.function(qualified);
  if (kind === 'table') return objectKey.table(qualified);
  const lastDot = qualified.lastIndexOf('.');
  return objectKey.column(qualified.slice(0, lastDot), qualified.slice(lastDot + 1));
}
