/**
 * PostgreSQL's names for objects created without one: `bookings_pkey`, `bookings_user_id_fkey`,
 * `bookings_user_id_created_at_idx`. Copies makeObjectName, ChooseRelationName and
 * ChooseConstraintName (src/backend/commands/indexcmds.c, src/backend/catalog/pg_constraint.c).
 */

/** PostgreSQL's identifier limit, NAMEDATALEN - 1 bytes. */
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * `name1_name2_label`, truncated to 63 characters by shortening the longer of name1 and name2
 * first, as makeObjectName does. Names are assumed to be single-byte text.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  let name1Length = name1.length;
  let name2Length = name2 ? name2.length : 0;
  const overhead = (label ? label.length + 1 : 0) + (name2 ? 1 : 0);
  const available = MAX_IDENTIFIER_LENGTH - overhead;
  while (name1Length + name2Length > available) {
    if (name1Length > name2Length) name1Length--;
    else name2Length--;
  }
  let name = name1.slice(0, name1Length);
  if (name2) name += `_${name2.slice(0, name2Length)}`;
  if (label) name += `_${label}`;
  return name;
}

/**
 * The first free name of `name1_name2_label`, `name1_name2_label1`, `name1_name2_label2`, ...
 * `isTaken` says whether a candidate collides with an existing relation or constraint.
 */
export function chooseName(name1: string, name2: string | undefined, label: string, isTaken: (name: string) => boolean): string {
  let candidate = makeObjectName(name1, name2, label);
  for (let pass = 1; isTaken(candidate); pass++) candidate = makeObjectName(name1, name2, `${label}${pass}`);
  return candidate;
}

/** The column part of an index or constraint name: column names joined by `_` (ChooseIndexNameAddition). */
export function columnsAddition(columns: string[]): string | undefined {
  const joined = columns.join('_');
  return joined.length > 0 ? joined.slice(0, MAX_IDENTIFIER_LENGTH) : undefined;
}
