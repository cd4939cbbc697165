/**
 * pg_cron jobs that migrations schedule: Supabase projects write `select cron.schedule('purge',
 * '0 3 * * *', $$ delete ... $$)` in a migration, so what runs on a schedule is part of the schema
 * the migrations define. The calls are replayed as pg_cron 1.6 applies them (`cron.schedule`,
 * `cron.schedule_in_database`, `cron.unschedule`, `cron.alter_job`; see pg_cron's README,
 * "Managing and creating jobs"). A job named by its id (`cron.unschedule(42)`) or built from
 * values the parser cannot read is reported as not replayed.
 */
import type { FuncCall, Node, SelectStmt } from '@pgsql/types';
import { cronJobIdentity, cronJobIdentityWithRole, type CronJob } from '../model';
import { markChanged } from './relations';
import type { ReplayState } from './replayState';

/** The parameters of each pg_cron function, in order, for positional and named (`active := false`) arguments. */
const PARAMETERS: Record<string, string[][]> = {
  schedule: [['schedule', 'command'], ['job_name', 'schedule', 'command']],
  schedule_in_database: [['job_name', 'schedule', 'command', 'database', 'username', 'active']],
  unschedule: [['job_id'], ['job_name']],
  alter_job: [['job_id', 'schedule', 'command', 'database', 'username', 'active']],
};

/** Which job a reference picks: its identity (`cronJobIdentity`) and, when stated, its role. */
interface JobReference {
  identity: string;
  username?: string;
}

/** An argument's value: a constant, or which job a `jobid` reference picks (`where jobname = 'purge'`). */
type ArgumentValue = string | number | boolean | null | { job: JobReference } | undefined;

/** Replays the pg_cron calls of a top-level SELECT (`select cron.schedule(...)`, `select cron.alter_job(jobid, ...) from cron.job where ...`). */
export function replayCronCalls(state: ReplayState, select: SelectStmt): void {
  for (const target of select.targetList ?? []) {
    const value = 'ResTarget' in target ? target.ResTarget.val : undefined;
    if (!value || !('FuncCall' in value)) continue;
    const name = cronFunctionName(state, value.FuncCall);
    if (name) replayCronCall(state, name, value.FuncCall, select);
  }
}

function replayCronCall(state: ReplayState, name: string, call: FuncCall, select: SelectStmt): void {
  const args = readArguments(name, call, select, state.statedRole);
  if (!args) return reportNotReplayed(state, name, 'its arguments are not constants pgreview can read');
  const jobs = (state.catalog.cronJobs ??= new Map());
  switch (name) {
    case 'schedule':
    case 'schedule_in_database': {
      const { job_name: jobName, schedule, command, database, username, active } = args;
      if (typeof schedule !== 'string' || typeof command !== 'string' || (jobName !== undefined && typeof jobName !== 'string')) {
        return reportNotReplayed(state, name, 'its arguments are not constants pgreview can read');
      }
      const job: CronJob = {
        ...(jobName !== undefined ? { name: jobName } : {}),
        schedule,
        command,
        ...(typeof database === 'string' ? { database } : {}),
        // The role is the job's only when the migrations state it: otherwise it is whoever runs them.
        ...(typeof username === 'string' ? { username } : state.statedRole !== undefined ? { username: state.statedRole } : {}),
        active: typeof active === 'boolean' ? active : true,
        origin: { definedAt: state.statement.span },
      };
      // A named job is scheduled again in place (pg_cron upserts on the name and role); a job
      // without a name is a new one each time.
      const key = cronJobIdentityWithRole(job);
      const existing = jobs.get(key);
      if (existing && job.name !== undefined) {
        jobs.set(key, { ...job, origin: { ...existing.origin } });
        markChanged(state, jobs.get(key)!);
      } else {
        jobs.set(key, job);
      }
      return;
    }
    case 'unschedule': {
      const key = findJobKey(jobs, args.job_id ?? args.job_name, state);
      if (key === null) return reportNotReplayed(state, name, 'it names the job by its id, which only the database knows');
      jobs.delete(key);
      return;
    }
    case 'alter_job': {
      const key = findJobKey(jobs, args.job_id, state);
      if (key === null) return reportNotReplayed(state, name, 'it names the job by its id, which only the database knows');
      const job = key === undefined ? undefined : jobs.get(key);
      if (!job || key === undefined) return;
      if (typeof args.schedule === 'string') job.schedule = args.schedule;
      if (typeof args.database === 'string') job.database = args.database;
      if (typeof args.username === 'string') job.username = args.username;
      if (typeof args.active === 'boolean') job.active = args.active;
      if (typeof args.command === 'string') job.command = args.command;
      markChanged(state, job);
      // A new command changes an unnamed job's identity, a new role a job's key.
      jobs.delete(key);
      jobs.set(cronJobIdentityWithRole(job), job);
      return;
    }
  }
}

/** `schedule` for `cron.schedule(...)`, or for `schedule(...)` while `cron` is on the search path; undefined for any other function. */
function cronFunctionName(state: ReplayState, call: FuncCall): string | undefined {
  const names = (call.funcname ?? []).map((part) => ('String' in part ? part.String.sval ?? '' : ''));
  const [schema, name] = names.length === 2 ? names : names.length === 1 && state.searchPath.includes('cron') ? ['cron', names[0]] : [];
  return schema === 'cron' && name !== undefined && name in PARAMETERS ? name : undefined;
}

/** The call's arguments by parameter name; undefined when one cannot be read. */
function readArguments(name: string, call: FuncCall, select: SelectStmt, statedRole: string | undefined): Record<string, ArgumentValue> | undefined {
  const args = call.args ?? [];
  const named = new Map<string, Node>();
  const positional: Node[] = [];
  for (const arg of args) {
    if ('NamedArgExpr' in arg && arg.NamedArgExpr.name && arg.NamedArgExpr.arg) named.set(arg.NamedArgExpr.name, arg.NamedArgExpr.arg);
    else positional.push(arg);
  }
  const signatures = PARAMETERS[name];
  // cron.schedule has a two- and a three-argument form: the count (or a job_name) picks one.
  const parameters = (named.has('job_name') ? signatures.find((candidate) => candidate.includes('job_name')) : signatures.find((candidate) => candidate.length === args.length))
    ?? signatures[signatures.length - 1];
  const values: Record<string, ArgumentValue> = {};
  for (const [index, parameter] of parameters.entries()) {
    const node = index < positional.length ? positional[index] : named.get(parameter);
    if (!node) continue;
    const value = argumentValue(node, select, statedRole);
    if (value === undefined) return undefined;
    values[parameter] = value;
  }
  return values;
}

function argumentValue(node: Node, select: SelectStmt, statedRole: string | undefined): ArgumentValue {
  if ('TypeCast' in node && node.TypeCast.arg) return argumentValue(node.TypeCast.arg, select, statedRole);
  if ('A_Const' in node) {
    const constant = node.A_Const;
    if (constant.isnull) return null;
    if (constant.sval) return constant.sval.sval ?? '';
    if (constant.ival) return constant.ival.ival ?? 0;
    if (constant.boolval) return constant.boolval.boolval === true;
    return undefined;
  }
  // `cron.alter_job(jobid, ...) from cron.job where jobname = 'purge'`
  if ('ColumnRef' in node && isJobIdColumn(node) && readsCronJob(select)) return jobFilter(select.whereClause, statedRole);
  // `cron.unschedule((select jobid from cron.job where jobname = 'purge'))`
  if ('SubLink' in node && node.SubLink.subLinkType === 'EXPR_SUBLINK' && node.SubLink.subselect && 'SelectStmt' in node.SubLink.subselect) {
    const inner = node.SubLink.subselect.SelectStmt;
    const target = inner.targetList?.length === 1 && 'ResTarget' in inner.targetList[0] ? inner.targetList[0].ResTarget.val : undefined;
    if (target && isJobIdColumn(target) && readsCronJob(inner)) return jobFilter(inner.whereClause, statedRole);
  }
  return undefined;
}

/**
 * The job a WHERE clause over `cron.job` picks: `jobname = 'x'` (`and username = 'r'`, or
 * `username = current_user`, the stated role when there is one), or `jobname is null and command = '...'`.
 */
function jobFilter(where: Node | undefined, statedRole: string | undefined): { job: JobReference } | undefined {
  const equalities = new Map<string, string>();
  const collect = (node: Node | undefined): boolean => {
    if (!node) return false;
    if ('BoolExpr' in node && node.BoolExpr.boolop === 'AND_EXPR') return (node.BoolExpr.args ?? []).every(collect);
    if ('NullTest' in node) return node.NullTest.nulltesttype === 'IS_NULL' && columnName(node.NullTest.arg) === 'jobname';
    if (!('A_Expr' in node) || node.A_Expr.kind !== 'AEXPR_OP') return false;
    const operator = node.A_Expr.name?.[0];
    const column = columnName(node.A_Expr.lexpr);
    const right = node.A_Expr.rexpr;
    if (!operator || !('String' in operator) || operator.String.sval !== '=' || !column || !right) return false;
    if (column === 'username' && 'SQLValueFunction' in right && ['SVFOP_CURRENT_USER', 'SVFOP_CURRENT_ROLE'].includes(right.SQLValueFunction.op ?? '')) {
      // Without a stated role, the current role is whoever runs the migrations: any role's job.
      if (statedRole !== undefined) equalities.set(column, statedRole);
      return true;
    }
    const value = 'A_Const' in right ? right.A_Const.sval?.sval : undefined;
    if (value === undefined) return false;
    equalities.set(column, value);
    return true;
  };
  if (!collect(where)) return undefined;
  const name = equalities.get('jobname');
  const command = equalities.get('command');
  const username = equalities.get('username');
  const role = username !== undefined ? { username } : {};
  if (name !== undefined) return { job: { identity: cronJobIdentity({ name, command: '' }), ...role } };
  return command !== undefined ? { job: { identity: cronJobIdentity({ command }), ...role } } : undefined;
}

/**
 * The key of the job an argument picks; undefined when the replay has no such job, null when the
 * argument does not say which job (an id). A reference without a role picks the job of the role
 * the migrations run as, or the only job of that identity.
 */
function findJobKey(jobs: Map<string, CronJob>, value: ArgumentValue, state: ReplayState): string | undefined | null {
  // cron.unschedule('purge'): the text form names the current role's job.
  const reference = value && typeof value === 'object' ? value.job : typeof value === 'string' ? { identity: value, username: state.statedRole } : undefined;
  if (!reference) return null;
  const keys = reference.username !== undefined
    ? [cronJobIdentityWithRole({ name: reference.identity, command: '', username: reference.username }), reference.identity]
    : [reference.identity];
  const found = keys.find((key) => jobs.has(key));
  if (found !== undefined || reference.username !== undefined) return found;
  const ofIdentity = [...jobs].filter(([, job]) => cronJobIdentity(job) === reference.identity);
  return ofIdentity.length === 1 ? ofIdentity[0][0] : undefined;
}

function isJobIdColumn(node: Node): boolean {
  return columnName(node) === 'jobid';
}

function columnName(node: Node | undefined): string | undefined {
  if (!node || !('ColumnRef' in node)) return undefined;
  const last = node.ColumnRef.fields?.[node.ColumnRef.fields.length - 1];
  return last && 'String' in last ? last.String.sval : undefined;
}

function readsCronJob(select: SelectStmt): boolean {
  const from = select.fromClause ?? [];
  return from.length === 1 && 'RangeVar' in from[0] && from[0].RangeVar.schemaname === 'cron' && from[0].RangeVar.relname === 'job';
}

function reportNotReplayed(state: ReplayState, name: string, why: string): void {
  state.problems.push({
    rule: 'dynamic_sql_not_replayed',
    message: `Not replayed: cron.${name}, because ${why}. The pg_cron jobs pgreview lists for the migrations may be wrong.`,
    span: state.statement.span,
  });
}
