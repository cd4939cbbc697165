import { objectKey } from '../catalog/model';
import { quoteIdent } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'extension_in_public',
  name: 'Extension in Public',
  level: 'warning',
  category: 'security',
  needs: 'S',
  description: 'An extension is installed in the public schema, so its functions and tables are exposed through the API and mix with the application\'s own objects.',
  check(catalog) {
    const reports: RuleReport[] = [];
    for (const extension of catalog.extensions.values()) {
      // plpgsql lives in pg_catalog everywhere; splinter names it as its one exception.
      if (extension.platform || extension.schema !== 'public' || extension.name === 'plpgsql') continue;
      const name = quoteIdent(extension.name);
      const move = NOT_RELOCATABLE.has(extension.name)
        ? { suggestions: [{ title: `Reinstall ${extension.name} in the extensions schema`, sql: `create schema if not exists extensions;\ndrop extension ${name};\ncreate extension ${name} with schema extensions;\n` }] }
        : { fix: { title: `Move ${extension.name} to the extensions schema`, sql: `create schema if not exists extensions;\nalter extension ${name} set schema extensions;\n` } };
      reports.push({
        object: extension.name,
        objectKey: objectKey.extension(extension.name),
        message: `Extension ${extension.name} is installed in schema public.`,
        span: extension.origin.definedAt ?? extension.origin.changedAt,
        ...move,
      });
    }
    return reports;
  },
});

/**
 * Extensions whose control file says `relocatable = false`: `ALTER EXTENSION ... SET SCHEMA`
 * fails for them, and moving one means dropping it (and what depends on it) and creating it again,
 * which a person has to plan.
 */
const NOT_RELOCATABLE = new Set([
  'postgis', 'postgis_raster', 'postgis_topology', 'postgis_tiger_geocoder', 'postgis_sfcgal', 'address_standardizer',
  'pg_cron', 'pg_net', 'pg_graphql', 'pgsodium', 'supabase_vault', 'timescaledb', 'pgmq', 'pg_partman',
]);
