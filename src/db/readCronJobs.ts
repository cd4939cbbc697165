/**
 * The pg_cron jobs of a live database (`cron.job`), for `inspect`: what runs on a schedule is part
 * of what a database does, and migrations often schedule it (`select cron.schedule(...)`).
 */
import type { CancellationToken } from '../core/cancellation';
import type { ConnectionOptions } from './connection';
import type { IntrospectionWarning } from './introspect';
import { withReadOnlySession } from './readOnlySession';

/** One row of `cron.job`, the columns every pg_cron version has (jobname since 1.3). */
export interface CronJob {
  jobId: number;
  /** Undefined for a job scheduled without a name, or by a pg_cron older than 1.3. */
  name?: string;
  schedule: string;
  command: string;
  /** The database the job runs in, and as whom. */
  database?: string;
  username?: string;
  active: boolean;
}

/**
 * Reads `cron.job` read-only: undefined when the database has no pg_cron (no `cron.job` table),
 * the jobs in job id order otherwise. A role that may not read the table gets a warning.
 */
export async function readCronJobs(connection: ConnectionOptions, token?: CancellationToken): Promise<{ jobs?: CronJob[]; warnings: IntrospectionWarning[] }> {
  return withReadOnlySession(connection, async (session) => {
    const [{ installed }] = await session.query<{ installed: boolean }>("select pg_catalog.to_regclass('cron.job') is not null as installed", token);
    if (!installed) return { warnings: [] };
    // to_jsonb reads whichever columns this pg_cron version has (jobname came in 1.3).
    const result = await session.queryGuarded<{ job: Record<string, unknown> }>('select pg_catalog.to_jsonb(j) as job from cron.job j order by j.jobid', token);
    if (result.error) return { warnings: [{ family: 'pg_cron jobs', message: `Cannot read the pg_cron jobs (${result.error.message.split('\n')[0]}); they are left out.` }] };
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const jobs = result.rows.map(({ job }) => ({
      jobId: Number(job.jobid),
      name: text(job.jobname),
      schedule: text(job.schedule) ?? '',
      command: text(job.command) ?? '',
      database: text(job.database),
      username: text(job.username),
      active: job.active !== false,
    }));
    return { jobs, warnings: [] };
  }, token);
}
