/**
 * How the catalog spells one value of a setting (`set search_path = ''`, a function's SET
 * clause): a plain lower-case name bare, anything else as a quoted literal. The replay spells a
 * migration's SET argument with it and introspection a stored value (proconfig), so the two sides
 * compare equal.
 */

/** `public` → `public`, `$user` → `'$user'`, `` → `''`, `5s` → `'5s'`. */
export function settingValueText(value: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}
