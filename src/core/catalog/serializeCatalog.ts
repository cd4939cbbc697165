/**
 * A catalog as plain JSON: for `pgreview inspect --format json` and for the webview, which cannot
 * receive Maps, Sets or parse trees. Keyed collections of objects become arrays in definition
 * order, grants and settings become objects, sets become sorted arrays, and expressions become
 * their text (the parse tree stays on the engine's side).
 */
import type { Catalog, Expression } from './model';

/** The JSON form of a catalog value: what `serializeCatalog` turns each part of the model into. */
export type Serialized<T> = T extends Expression
  ? string
  : T extends Set<infer Item>
    ? Serialized<Item>[]
    : T extends Map<string, infer Value>
      ? Value extends Set<unknown> | string | number | boolean
        ? Record<string, Serialized<Value>>
        : Serialized<Value>[]
      : T extends (infer Item)[]
        ? Serialized<Item>[]
        : T extends object
          ? { [Key in keyof T]: Serialized<T[Key]> }
          : T;

export type SerializedCatalog = Serialized<Catalog> & { summary: CatalogSummary };

/** How many objects of each kind a catalog holds, without the platform's own (auth.users, ...). */
export interface CatalogSummary {
  /** Tables per schema, schemas in name order. */
  tablesBySchema: Record<string, number>;
  tables: number;
  views: number;
  materializedViews: number;
  functions: number;
  policies: number;
  indexes: number;
  triggers: number;
  types: number;
  extensions: number;
  sequences: number;
  /** Tables with RLS enabled, of `tables`. */
  rlsEnabled: number;
}

/** Converts a catalog to JSON-safe data, with its summary. */
export function serializeCatalog(catalog: Catalog): SerializedCatalog {
  return { ...(toJsonValue(catalog) as Serialized<Catalog>), summary: summarizeCatalog(catalog) };
}

/** Counts the catalog's objects, leaving out those the platform created. */
export function summarizeCatalog(catalog: Catalog): CatalogSummary {
  const tables = [...catalog.tables.values()].filter((table) => !table.platform);
  const views = [...catalog.views.values()].filter((view) => !view.platform);
  const tablesBySchema: Record<string, number> = {};
  for (const table of [...tables].sort((a, b) => (a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : 0))) {
    tablesBySchema[table.schema] = (tablesBySchema[table.schema] ?? 0) + 1;
  }
  // Policies and triggers that migrations add to platform tables (storage.objects) count too.
  const allTables = [...catalog.tables.values()];
  return {
    tablesBySchema,
    tables: tables.length,
    views: views.filter((view) => view.kind === 'view').length,
    materializedViews: views.filter((view) => view.kind === 'materialized_view').length,
    functions: [...catalog.functions.values()].filter((fn) => !fn.platform && !fn.extension).length,
    policies: allTables.reduce((count, table) => count + table.policies.size, 0),
    indexes: tables.reduce((count, table) => count + table.indexes.size, 0),
    triggers: allTables.reduce((count, table) => count + table.triggers.size, 0),
    types: [...catalog.types.values()].filter((type) => !type.platform).length,
    extensions: catalog.extensions.size,
    sequences: [...catalog.sequences.values()].filter((sequence) => !sequence.platform).length,
    rlsEnabled: tables.filter((table) => table.rlsEnabled).length,
  };
}

/** `Tables: 106 (public 100, app 6); RLS on 98; views 3; ...`: one line for a person. */
export function describeCatalogSummary(summary: CatalogSummary): string {
  const schemas = Object.entries(summary.tablesBySchema).map(([schema, count]) => `${schema} ${count}`).join(', ');
  return [
    `Tables: ${summary.tables}${schemas ? ` (${schemas})` : ''}`,
    `RLS on ${summary.rlsEnabled}`,
    `policies ${summary.policies}`,
    `views ${summary.views}`,
    `materialized views ${summary.materializedViews}`,
    `functions ${summary.functions}`,
    `indexes ${summary.indexes}`,
    `triggers ${summary.triggers}`,
    `types ${summary.types}`,
    `sequences ${summary.sequences}`,
    `extensions ${summary.extensions}`,
  ].join('; ');
}

function toJsonValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isExpression(value)) return value.text;
  if (value instanceof Set) return [...value].map(toJsonValue).sort();
  if (value instanceof Map) {
    const entries = [...value.entries()];
    const holdsObjects = entries.some(([, entry]) => entry !== null && typeof entry === 'object' && !(entry instanceof Set));
    if (holdsObjects) return entries.map(([, entry]) => toJsonValue(entry));
    return Object.fromEntries(entries.map(([key, entry]) => [key, toJsonValue(entry)]));
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) result[key] = toJsonValue(entry);
  return result;
}

function isExpression(value: object): value is Expression {
  return 'text' in value && 'ast' in value && typeof (value as { text: unknown }).text === 'string';
}
