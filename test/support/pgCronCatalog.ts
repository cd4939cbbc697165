/**
 * pg_cron's catalog made by hand, for the test server, which has no pg_cron: `cron.job`
 * (cronCatalog.ts), and SQL stand-ins for the functions migrations and pgreview's
 * alignment SQL call (`cron.schedule`, `cron.schedule_in_database`, `cron.unschedule`,
 * `cron.alter_job`) with pg_cron's signatures and effect on `cron.job`: a named job is scheduled
 * again in place (pg_cron upserts on jobname and username), an unnamed one is added each time,
 * unscheduling a job that does not exist fails. They do not run anything. The test server's
 * superuser is `postgres`, the role the Supabase CLI runs migrations as, so a job its migrations
 * schedule is owned by `postgres`, as on Supabase.
 */

import { CRON_JOB_TABLE_SQL } from './cronCatalog';

/** The schema, the table (cronCatalog.ts) and the functions. */
export const PG_CRON_CATALOG_SQL = `${CRON_JOB_TABLE_SQL}
-- pg_cron names a job uniquely per role, and schedules it again in place on this constraint.
alter table cron.job add constraint jobname_username_uniq unique (jobname, username);
create function cron.schedule(schedule text, command text) returns bigint language sql
  as $$ insert into cron.job (schedule, command) values (schedule, command) returning jobid $$;
create function cron.schedule_in_database(job_name text, schedule text, command text, database text, username text default null, active boolean default true)
  returns bigint language sql as $$
  insert into cron.job (jobname, schedule, command, database, username, active)
  values (job_name, schedule, command, database, coalesce(username, current_user), active)
  on conflict on constraint jobname_username_uniq
  do update set schedule = excluded.schedule, command = excluded.command, database = excluded.database, active = excluded.active
  returning jobid $$;
create function cron.schedule(job_name text, schedule text, command text) returns bigint language sql
  as $$ select cron.schedule_in_database(job_name, schedule, command, current_database()) $$;
create function cron.unschedule(job_id bigint) returns boolean language plpgsql as $$
begin
  delete from cron.job where jobid = job_id;
  if not found then raise exception 'could not find valid entry for job %', job_id; end if;
  return true;
end $$;
create function cron.unschedule(job_name text) returns boolean language plpgsql as $$
begin
  delete from cron.job where jobname = job_name and username = current_user;
  if not found then raise exception 'could not find valid entry for job ''%''', job_name; end if;
  return true;
end $$;
create function cron.alter_job(job_id bigint, schedule text default null, command text default null, database text default null, username text default null, active boolean default null)
  returns void language plpgsql as $$
begin
  update cron.job j set schedule = coalesce(alter_job.schedule, j.schedule), command = coalesce(alter_job.command, j.command),
    database = coalesce(alter_job.database, j.database), username = coalesce(alter_job.username, j.username), active = coalesce(alter_job.active, j.active)
  where j.jobid = job_id;
  if not found then raise exception 'could not find valid entry for job %', job_id; end if;
end $$;`;
