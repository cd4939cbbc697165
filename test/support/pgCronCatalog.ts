/**
 * pg_cron's catalog made by hand, for the test server, which has no pg_cron: `cron.job`
 * (cronCatalog.ts) with pg_cron's SELECT grant to PUBLIC (not its policy that shows each role only
 * its own jobs, which the diff would report), and SQL stand-ins for the functions migrations and pgreview's alignment SQL call
 * (`cron.schedule`, `cron.schedule_in_database`, `cron.unschedule`, `cron.alter_job`) with
 * pg_cron's signatures, effect on `cron.job` and checks of the calling role (pg_cron 1.6,
 * src/job_metadata.c): a job is the calling role's (`current_user`, so `SET ROLE` counts); only a
 * superuser may name another role (`username`), which must be able to log in; a role other than a
 * superuser may alter and unschedule only its own jobs. A named job is scheduled again in place
 * (pg_cron upserts on jobname and username, keeping the job's state), an unnamed one is added each
 * time, unscheduling a job that does not exist fails. They do not run anything. As in pg_cron, the
 * checks run as the caller and the writes as the catalog's owner (SECURITY DEFINER helpers). The
 * test server's superuser is `postgres`, the role the Supabase CLI runs migrations as; Supabase's
 * `postgres` is not a superuser, so tests that apply SQL as such a role make one (`grantCronTo`).
 */

import { CRON_JOB_TABLE_SQL } from './cronCatalog';

/** The schema, the table (cronCatalog.ts) and the functions. */
export const PG_CRON_CATALOG_SQL = `${CRON_JOB_TABLE_SQL}
-- pg_cron names a job uniquely per role, and schedules it again in place on this constraint.
alter table cron.job add constraint jobname_username_uniq unique (jobname, username);
grant select on cron.job to public;
create function cron._is_superuser() returns boolean language sql stable
  as $$ select rolsuper from pg_catalog.pg_roles where rolname = current_user $$;
-- A role named for a job (username): only a superuser may name one, and it must exist and log in (GetRoleOidIfCanLogin).
create function cron._check_named_role(role_name text, not_superuser text) returns void language plpgsql as $$
begin
  if role_name is null then return; end if;
  if not cron._is_superuser() then raise exception '%', not_superuser; end if;
  if not exists (select from pg_catalog.pg_roles where rolname = role_name) then raise exception 'role "%" does not exist', role_name; end if;
  if not (select rolcanlogin from pg_catalog.pg_roles where rolname = role_name) then
    raise exception 'role "%" can not log in', role_name using detail = 'Jobs may only be run by roles that have the LOGIN attribute.';
  end if;
end $$;
-- pg_cron also fails on a database that does not exist; the tests name some the server lacks.
create function cron._check_connect(role_name text, database_name text) returns void language plpgsql as $$
begin
  if exists (select from pg_catalog.pg_database where datname = database_name) and not has_database_privilege(role_name, database_name, 'CONNECT') then raise exception 'User % does not have CONNECT privilege on %', role_name, database_name; end if;
end $$;
create function cron._write_job(job_name text, schedule text, command text, database text, username text, active boolean) returns bigint
  language sql security definer as $$
  insert into cron.job (jobname, schedule, command, database, username, active) values (job_name, schedule, command, database, username, active)
  on conflict on constraint jobname_username_uniq
  do update set schedule = excluded.schedule, command = excluded.command, database = excluded.database
  returning jobid $$;
create function cron._update_job(job_id bigint, owner text, schedule text, command text, database text, username text, active boolean) returns boolean
  language plpgsql security definer as $$
begin
  update cron.job j set schedule = coalesce(_update_job.schedule, j.schedule), command = coalesce(_update_job.command, j.command),
    database = coalesce(_update_job.database, j.database), username = coalesce(_update_job.username, j.username), active = coalesce(_update_job.active, j.active)
  where j.jobid = job_id and (owner is null or j.username = owner);
  return found;
end $$;
create function cron._job_exists(job_id bigint) returns boolean language sql stable security definer
  as $$ select exists (select from cron.job where jobid = job_id) $$;
create function cron._delete_job(job_id bigint, owner text) returns boolean language plpgsql security definer as $$
begin
  delete from cron.job j where j.jobid = job_id and (owner is null or j.username = owner);
  return found;
end $$;
create function cron._delete_job(job_name text, owner text) returns boolean language plpgsql security definer as $$
begin
  delete from cron.job j where j.jobname = job_name and j.username = owner;
  return found;
end $$;
create function cron.schedule_in_database(job_name text, schedule text, command text, database text, username text default null, active boolean default true)
  returns bigint language plpgsql as $$
begin
  perform cron._check_named_role(username, 'must be superuser to create a job for another role');
  perform cron._check_connect(coalesce(username, current_user), database);
  return cron._write_job(job_name, schedule, command, database, coalesce(username, current_user), active);
end $$;
create function cron.schedule(job_name text, schedule text, command text) returns bigint language sql
  as $$ select cron.schedule_in_database(job_name, schedule, command, current_database()) $$;
create function cron.schedule(schedule text, command text) returns bigint language sql
  as $$ select cron.schedule_in_database(null, schedule, command, current_database()) $$;
create function cron.unschedule(job_id bigint) returns boolean language plpgsql as $$
begin
  if not cron._job_exists(job_id) then raise exception 'could not find valid entry for job %', job_id; end if;
  -- EnsureDeletePermission: the job's role, or a role with DELETE on cron.job.
  if not cron._delete_job(job_id, case when has_table_privilege('cron.job', 'DELETE') then null else current_user::text end) then
    raise exception 'permission denied for table job';
  end if;
  return true;
end $$;
create function cron.unschedule(job_name text) returns boolean language plpgsql as $$
begin
  if not cron._delete_job(job_name, current_user::text) then raise exception 'could not find valid entry for job ''%''', job_name; end if;
  return true;
end $$;
create function cron.alter_job(job_id bigint, schedule text default null, command text default null, database text default null, username text default null, active boolean default null)
  returns void language plpgsql as $$
begin
  perform cron._check_named_role(username, 'must be superuser to alter username');
  if database is not null then perform cron._check_connect(coalesce(username, current_user), database); end if;
  if not cron._update_job(job_id, case when cron._is_superuser() then null else current_user::text end, schedule, command, database, username, active) then
    raise exception 'Job % does not exist or you don''t own it', job_id;
  end if;
end $$;`;

/**
 * Makes `role` a login role that is not a superuser, as Supabase's `postgres` is, and grants it
 * what Supabase grants `postgres` on pg_cron (USAGE on the schema) in the database the SQL runs in.
 * Roles belong to the cluster, so it is created once and granted in each database.
 */
export function grantCronTo(role: string, password: string): string {
  return `do $$ begin
  if not exists (select from pg_catalog.pg_roles where rolname = '${role}') then create role ${role} login nosuperuser password '${password}'; end if;
end $$;
grant usage on schema cron to ${role};`;
}
