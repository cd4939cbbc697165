/**
 * pg_cron's catalog made by hand, for a server without the extension: `cron.job` with the columns
 * pg_cron 1.6 gives it. pg_cron also grants SELECT on it to PUBLIC and lets each role see only
 * its own jobs (RLS); tests that want that add it.
 */
export const CRON_JOB_TABLE_SQL = `create schema cron;
create table cron.job (
  jobid bigserial primary key,
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport integer not null default 5432,
  database text not null default current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text
);`;
