/**
 * Extensions whose control file names the schema they install into (`schema = pg_catalog`):
 * CREATE EXTENSION puts them there whatever the search path says, and does not take another
 * schema. Sources: the control files of pg_cron 1.4+ (`schema = pg_catalog`, which Supabase also
 * forces with supautils.extensions_parameter_overrides), supabase_vault (`schema = vault`), pgsodium
 * 3 (`schema = pgsodium`), pg_graphql (`schema = 'graphql'`), pg_tle (`SCHEMA = pgtle`), PostGIS's
 * topology and tiger geocoder, and PostgreSQL's own procedural languages and adminpack. The same
 * on Supabase and on plain PostgreSQL. pg_net, pgmq and postgis name no schema: without WITH
 * SCHEMA they land in the first schema of the search path (public), whatever schema their objects
 * go to, and splinter reports them there.
 */
const FIXED_SCHEMAS: ReadonlyMap<string, string> = new Map([
  ['plpgsql', 'pg_catalog'],
  ['plperl', 'pg_catalog'],
  ['plperlu', 'pg_catalog'],
  ['plpython3u', 'pg_catalog'],
  ['pltcl', 'pg_catalog'],
  ['pltclu', 'pg_catalog'],
  ['adminpack', 'pg_catalog'],
  ['pg_cron', 'pg_catalog'],
  ['supabase_vault', 'vault'],
  ['pgsodium', 'pgsodium'],
  ['pg_graphql', 'graphql'],
  ['pg_tle', 'pgtle'],
  ['postgis_topology', 'topology'],
  ['postgis_tiger_geocoder', 'tiger'],
]);

/** The schema an extension always installs into, when its control file names one. */
export function extensionFixedSchema(name: string): string | undefined {
  return FIXED_SCHEMAS.get(name);
}
