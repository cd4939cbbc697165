/**
 * What a PostgreSQL server shares between its databases, read by name for tests that prove a
 * server shadow leaves it as it found it.
 */
import { Client } from 'pg';
import type { TestServer } from './postgresServer';

/**
 * What a server shares between its databases, one sorted line per fact, by name: roles with their
 * attributes and comments, memberships, and settings per role and database (the throwaway
 * database's own excluded).
 */
export async function readSharedState(server: TestServer): Promise<string[]> {
  const client = new Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ line: string }>(`
      select concat_ws(' ', 'role', rolname, case when rolcanlogin then 'login' else 'nologin' end, 'super=' || rolsuper, 'inherit=' || rolinherit,
             'createrole=' || rolcreaterole, 'createdb=' || rolcreatedb, 'replication=' || rolreplication, 'bypassrls=' || rolbypassrls,
             'connlimit=' || rolconnlimit, 'valid=' || coalesce(rolvaliduntil::text, '-'), 'comment=' || coalesce(shobj_description(oid, 'pg_authid'), '-')) as line
      from pg_roles
      union all
      select concat_ws(' ', 'member', m.member::regrole::text, 'in', m.roleid::regrole::text, 'admin=' || m.admin_option, 'by', m.grantor::regrole::text)
      from pg_auth_members m
      union all
      select concat_ws(' ', 'setting', case when s.setrole = 0 then '*' else s.setrole::regrole::text end, 'in', coalesce(d.datname, '*'), array_to_string(s.setconfig, ' '))
      from pg_db_role_setting s left join pg_database d on d.oid = s.setdatabase
      where d.datname is null or d.datname !~ '^pgreview_shadow_[0-9]'
      union all
      select concat_ws(' ', 'database', datname, datdba::regrole::text, datacl::text) from pg_database where datname !~ '^pgreview_shadow_[0-9]'
      order by 1`);
    return result.rows.map((row) => row.line);
  } finally {
    await client.end();
  }
}

/** Throwaway databases still on the server. */
export async function shadowDatabases(server: TestServer): Promise<string[]> {
  const client = new Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>("select datname from pg_database where datname ~ '^pgreview_shadow_[0-9]'");
    return result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}
