import { cronJobIdentity, cronJobIdentityWithRole, type CronJob } from '../catalog/model';

/** The jobs of both sides, keyed so that a job of the migrations and the database's job it is share a key. */
export interface PairedCronJobs {
  wanted: Map<string, CronJob> | undefined;
  actual: Map<string, CronJob> | undefined;
}

/**
 * Pairs the pg_cron jobs of the migrations with the database's. pg_cron names a job uniquely per
 * role, and a database always knows a job's role, but migrations only when they state it (`SET
 * ROLE`, a `username` argument): the role that runs them is not in the files. So a job of the
 * migrations without a role is the database's job of its identity whatever that job's role, and its
 * role is not compared (the wanted job takes the database's role, so no change and no SQL follow).
 * Where jobs of one identity are one on each side (the common case) they pair and keep the identity
 * as key. Where two roles have a job of the same name, a stated role picks its job, and a job without
 * one picks the only job left, else the one of `migrationRole` (the role the Supabase CLI runs
 * migrations as); those jobs are keyed with their role.
 */
export function pairCronJobs(wanted: ReadonlyMap<string, CronJob> | undefined, actual: ReadonlyMap<string, CronJob> | undefined, migrationRole: string): PairedCronJobs {
  if (!wanted || !actual) return { wanted: wanted && new Map(wanted), actual: actual && new Map(actual) };
  const pairedWanted = new Map<string, CronJob>();
  const pairedActual = new Map<string, CronJob>();
  const wantedByIdentity = groupByIdentity(wanted.values());
  const actualByIdentity = groupByIdentity(actual.values());
  for (const identity of new Set([...wantedByIdentity.keys(), ...actualByIdentity.keys()])) {
    const mine = wantedByIdentity.get(identity) ?? [];
    const theirs = actualByIdentity.get(identity) ?? [];
    if (mine.length <= 1 && theirs.length <= 1) {
      if (mine[0]) pairedWanted.set(identity, withRoleOf(mine[0], theirs[0]));
      if (theirs[0]) pairedActual.set(identity, theirs[0]);
      continue;
    }
    const left = [...theirs];
    const take = (job: CronJob | undefined) => (job ? left.splice(left.indexOf(job), 1)[0] : undefined);
    const withStatedRole = mine.filter((job) => job.username !== undefined);
    const withoutRole = mine.filter((job) => job.username === undefined);
    for (const job of withStatedRole) {
      const match = take(left.find((candidate) => candidate.username === job.username));
      pairedWanted.set(cronJobIdentityWithRole(job), job);
      if (match) pairedActual.set(cronJobIdentityWithRole(match), match);
    }
    for (const job of withoutRole) {
      const match = take(left.length === 1 ? left[0] : left.find((candidate) => candidate.username === migrationRole));
      pairedWanted.set(match ? cronJobIdentityWithRole(match) : identity, withRoleOf(job, match));
      if (match) pairedActual.set(cronJobIdentityWithRole(match), match);
    }
    for (const job of left) pairedActual.set(cronJobIdentityWithRole(job), job);
  }
  return { wanted: pairedWanted, actual: pairedActual };
}

function groupByIdentity(jobs: Iterable<CronJob>): Map<string, CronJob[]> {
  const groups = new Map<string, CronJob[]>();
  for (const job of jobs) {
    const identity = cronJobIdentity(job);
    groups.set(identity, [...(groups.get(identity) ?? []), job]);
  }
  return groups;
}

/** A job of the migrations without a stated role runs as whoever ran them: the database's job says who. */
function withRoleOf(job: CronJob, match: CronJob | undefined): CronJob {
  return job.username === undefined && match?.username !== undefined ? { ...job, username: match.username } : job;
}
