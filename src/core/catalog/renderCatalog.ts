/**
 * A deterministic text rendering of a catalog: one object per line, sorted by object key, with no
 * OIDs, timestamps or machine paths. Replay fixtures compare it with `catalog.txt`, and
 * `pgreview inspect` prints it. A diff of two renderings reads like a review of the schema change.
 */
import { printableMessage } from '../report/printableMessage';
import type { Catalog, Column, Constraint, CronJob, DefaultPrivilege, Func, Grants, Index, Origin, Policy, Privilege, Trigger, TypeDef, View } from './model';
import { objectKey } from './model';

/** What `renderCatalog` includes. */
export interface RenderOptions {
  /** Also render objects the platform profile created and no migration touched (auth.users, ...). Default false. */
  includePlatform?: boolean;
  /** Append `defined=file:line` and `changed=file:line` to each object. Default true. */
  origins?: boolean;
  /**
   * Give each table the planner's estimate of its rows (`estimated_rows=1200`, or `unknown` when
   * the table was never analysed): a live database's inventory. Default false.
   */
  rowEstimates?: boolean;
}

/** Renders a catalog as sorted lines of text, ending with a newline. */
export function renderCatalog(catalog: Catalog, options: RenderOptions = {}): string {
  const includePlatform = options.includePlatform ?? false;
  const showOrigins = options.origins ?? true;
  const lines: [string, string][] = [];
  const add = (key: string, text: string, origin?: Origin): void => {
    lines.push([key, showOrigins && origin ? `${key} ${text}${originText(origin)}`.trimEnd() : `${key} ${text}`.trimEnd()]);
  };
  const shown = (object: { platform: boolean; origin: Origin }): boolean => includePlatform || !object.platform || object.origin.changedAt !== undefined;
  const fromMigrations = (object: { origin: Origin }, platformParent: boolean): boolean =>
    includePlatform || !platformParent || object.origin.definedAt !== undefined || object.origin.changedAt !== undefined;

  for (const schema of catalog.schemas.values()) {
    if (!shown(schema)) continue;
    add(objectKey.schema(schema.name), fields([['owner', schema.owner], ['grants', grantsText(schema.grants)], ['comment', quoted(schema.comment)]]), schema.origin);
  }
  for (const [qualified, table] of catalog.tables) {
    const tableShown = shown(table);
    if (tableShown) {
      add(objectKey.table(qualified), fields([
        ['kind', table.kind],
        ['owner', table.owner],
        ['rls', table.rlsEnabled ? 'on' : 'off'],
        ['force_rls', table.rlsForced ? 'on' : undefined],
        ['partition_of', table.partitionOf],
        ['created_from', table.createdFrom ? `${table.createdFrom.kind}${table.createdFrom.source ? `(${table.createdFrom.source})` : ''}` : undefined],
        ['grants', grantsText(table.grants)],
        ['comment', quoted(table.comment)],
        ['rls_changed', table.rlsChangedAt && showOrigins ? `${table.rlsChangedAt.file}:${table.rlsChangedAt.line}` : undefined],
        ['estimated_rows', options.rowEstimates ? String(table.statistics?.estimatedRows ?? 'unknown') : undefined],
      ]), table.origin);
    }
    let position = 0;
    for (const column of table.columns.values()) {
      position++;
      if (fromMigrations(column, table.platform)) add(objectKey.column(qualified, column.name), columnText(position, column), column.origin);
    }
    for (const constraint of table.constraints.values()) {
      if (fromMigrations(constraint, table.platform)) add(objectKey.constraint(qualified, constraint.name), constraintText(constraint), constraint.origin);
    }
    for (const index of table.indexes.values()) {
      if (fromMigrations(index, table.platform)) add(objectKey.index(table.schema, index.name), indexText(index), index.origin);
    }
    for (const policy of table.policies.values()) add(objectKey.policy(qualified, policy.name), policyText(policy), policy.origin);
    for (const trigger of table.triggers.values()) add(objectKey.trigger(qualified, trigger.name), triggerText(trigger), trigger.origin);
  }
  for (const [qualified, view] of catalog.views) {
    if (!shown(view)) continue;
    add(objectKey.view(qualified), viewText(view), view.origin);
    for (const index of view.indexes.values()) add(objectKey.index(view.schema, index.name), indexText(index), index.origin);
  }
  for (const func of catalog.functions.values()) {
    if (shown(func)) add(objectKey.function(func.key), functionText(func), func.origin);
  }
  for (const [qualified, type] of catalog.types) {
    if (!shown(type)) continue;
    const shape = type.kind === 'enum' ? `(${(type.values ?? []).map((value) => `'${value}'`).join(', ')})`
      : type.kind === 'composite' ? `(${(type.attributes ?? []).map((attribute) => `${attribute.name} ${attribute.type}`).join(', ')})`
        : type.kind === 'domain' ? domainText(type) : '';
    add(objectKey.type(qualified), `${type.kind} ${shape}${fields([['owner', type.owner]], ' ')}`, type.origin);
  }
  for (const extension of catalog.extensions.values()) {
    if (shown(extension)) add(objectKey.extension(extension.name), fields([['schema', extension.schema], ['version', extension.version]]), extension.origin);
  }
  for (const [qualified, sequence] of catalog.sequences) {
    if (shown(sequence)) add(objectKey.sequence(qualified), fields([['owned_by', sequence.ownedBy], ['grants', grantsText(sequence.grants)]]), sequence.origin);
  }
  for (const role of catalog.roles.values()) {
    if (!shown(role)) continue;
    const attributes = [role.login ? 'login' : 'nologin', role.superuser ? 'superuser' : '', role.bypassRls ? 'bypassrls' : '', role.inherit ? 'inherit' : 'noinherit'].filter(Boolean).join(' ');
    add(objectKey.role(role.name), `${attributes}${fields([['member_of', role.memberOf.length > 0 ? [...role.memberOf].sort().join(',') : undefined]], ' ')}`, role.origin);
  }
  for (const [key, text] of defaultPrivilegeLines(catalog.defaultPrivileges)) add(key, text);
  for (const job of catalog.cronJobs?.values() ?? []) add(objectKey.cronJob(cronJobLabel(job)), cronJobText(job), job.origin);
  lines.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return lines.map(([, text]) => text).join('\n') + (lines.length > 0 ? '\n' : '');
}

/**
 * How a job is named on screen: its name, else its id in the database (`#2`), else, for a job
 * without a name in the migrations, `(unnamed)`.
 */
export function cronJobLabel(job: CronJob): string {
  return job.name ?? (job.jobId !== undefined ? `#${job.jobId}` : '(unnamed)');
}

/** `schedule='0 3 * * *' database=app user=postgres inactive command='delete ...'`, the command on one line. */
export function cronJobText(job: CronJob): string {
  const quote = (text: string) => `'${oneLine(text).replace(/'/g, "''")}'`;
  const parts = [
    `schedule=${quote(job.schedule)}`,
    job.database ? `database=${job.database}` : undefined,
    job.username ? `user=${job.username}` : undefined,
    job.active ? undefined : 'inactive',
    `command=${quote(printableMessage(job.command))}`,
  ];
  return parts.filter(Boolean).join(' ');
}

function columnText(position: number, column: Column): string {
  // A column whose type the replay could not tell (an expression in CREATE TABLE AS) shows `?`.
  const parts = [`#${position}`, column.type || '?'];
  if (column.notNull) parts.push('not null');
  if (column.default) parts.push(`default ${oneLine(column.default.text)}`);
  if (column.identity) parts.push(`generated ${column.identity} as identity`);
  if (column.generated) parts.push(`generated always as (${oneLine(column.generated.text)}) stored`);
  if (column.comment !== undefined) parts.push(`comment=${quoted(column.comment)}`);
  const grants = column.grants ? grantsText(column.grants) : undefined;
  if (grants) parts.push(`grants=${grants}`);
  return parts.join(' ');
}

/** `as numeric default 0 not null constraint amount_positive check (value > 0) not valid`. */
function domainText(type: TypeDef): string {
  const parts = [`as ${type.baseType}`];
  if (type.default) parts.push(`default ${oneLine(type.default.text)}`);
  if (type.notNull) parts.push('not null');
  for (const constraint of type.constraints?.values() ?? []) {
    parts.push(`constraint ${constraint.name} check (${oneLine(constraint.check?.text ?? '')})${constraint.validated ? '' : ' not valid'}`);
  }
  return parts.join(' ');
}

function constraintText(constraint: Constraint): string {
  const parts = constraint.kind === 'check' ? ['check'] : [constraint.kind, `(${constraint.columns.join(', ')})`];
  const target = constraint.references;
  if (target) {
    parts.push(`references ${target.table}(${target.columns.join(', ')})`);
    if (target.onDelete) parts.push(`on delete ${target.onDelete}`);
    if (target.onUpdate) parts.push(`on update ${target.onUpdate}`);
  }
  if (constraint.check) parts.push(`(${oneLine(constraint.check.text)})`);
  if (!constraint.validated) parts.push('not valid');
  if (constraint.deferrable) parts.push('deferrable');
  return parts.join(' ');
}

function indexText(index: Index): string {
  const keys = index.keys.map((key) => [key.column ?? `(${oneLine(key.expression?.text ?? '')})`, key.options].filter(Boolean).join(' '));
  const parts = [`on ${index.table}`];
  if (index.primary) parts.push('primary');
  else if (index.unique) parts.push('unique');
  parts.push(`using ${index.method} (${keys.join(', ')})`);
  if (index.include.length > 0) parts.push(`include (${index.include.join(', ')})`);
  if (index.where) parts.push(`where ${oneLine(index.where.text)}`);
  if (index.constraint) parts.push(`constraint=${index.constraint}`);
  if (!index.valid) parts.push('invalid');
  return parts.join(' ');
}

function policyText(policy: Policy): string {
  const parts = [`for ${policy.command}`, policy.permissive ? 'permissive' : 'restrictive', `to ${policy.roles.join(', ')}`];
  if (policy.using) parts.push(`using (${oneLine(policy.using.text)})`);
  if (policy.withCheck) parts.push(`with check (${oneLine(policy.withCheck.text)})`);
  return parts.join(' ');
}

function triggerText(trigger: Trigger): string {
  const parts = [trigger.timing, trigger.events.join(' or '), `for each ${trigger.forEach}`, `execute ${trigger.function}`];
  if (trigger.when) parts.push(`when (${oneLine(trigger.when.text)})`);
  if (!trigger.enabled) parts.push('disabled');
  return parts.join(' ');
}

function viewText(view: View): string {
  return fields([
    ['kind', view.kind],
    ['owner', view.owner],
    ['security_invoker', view.securityInvoker ? 'true' : undefined],
    ['depends_on', view.dependsOn.length > 0 ? view.dependsOn.join(',') : undefined],
    ['columns', view.columns.length > 0 ? view.columns.join(',') : undefined],
    ['grants', grantsText(view.grants)],
    ['column_grants', viewColumnGrantsText(view)],
    ['comment', quoted(view.comment)],
    ['definition', quoted(oneLine(view.definition.text))],
  ]);
}

/** `id(authenticated=r);email(PUBLIC=r,anon=w)`: a view's column privileges, in column order (those on columns the model does not list last). */
function viewColumnGrantsText(view: View): string | undefined {
  const unlisted = [...(view.columnGrants?.keys() ?? [])].filter((name) => !view.columns.includes(name)).sort();
  const entries = [...view.columns, ...unlisted].flatMap((name) => {
    const grants = view.columnGrants?.get(name);
    const text = grants ? grantsText(grants) : undefined;
    return text ? [`${name}(${text})`] : [];
  });
  return entries.length > 0 ? entries.join(';') : undefined;
}

function functionText(func: Func): string {
  const argumentsText = func.arguments
    .map((argument) => [argument.mode === 'in' ? '' : argument.mode.toUpperCase(), argument.name, argument.type, argument.default !== undefined ? `DEFAULT ${argument.default}` : ''].filter(Boolean).join(' '))
    .join(', ');
  return `${func.kind}${fields([
    ['args', `(${argumentsText})`],
    ['returns', func.returns],
    ['language', func.language],
    ['volatility', func.volatility],
    ['security', func.securityDefiner ? 'definer' : undefined],
    ['config', func.config.size > 0 ? [...func.config].map(([name, value]) => `${name}=${value}`).join(';') : undefined],
    ['owner', func.owner],
    ['grants', grantsText(func.grants)],
    ['comment', quoted(func.comment)],
  ], ' ')}`;
}

/** One line per (role, schema, object type), grantees sorted. */
function defaultPrivilegeLines(entries: DefaultPrivilege[]): [string, string][] {
  const groups = new Map<string, Grants>();
  for (const entry of entries) {
    const key = `default_privileges:${entry.forRole}/${entry.schema ?? '*'}/${entry.objectType}`;
    const grants = groups.get(key) ?? new Map<string, Set<Privilege>>();
    const set = grants.get(entry.grantee) ?? new Set<Privilege>();
    for (const privilege of entry.privileges) set.add(privilege);
    grants.set(entry.grantee, set);
    groups.set(key, grants);
  }
  return [...groups].map(([key, grants]) => [key, grantsText(grants, true) ?? '']);
}

// aclitem letters in PostgreSQL's order (src/include/utils/acl.h, ACL_ALL_RIGHTS_STR).
const PRIVILEGE_LETTERS: [Privilege, string][] = [
  ['INSERT', 'a'], ['SELECT', 'r'], ['UPDATE', 'w'], ['DELETE', 'd'], ['TRUNCATE', 'D'], ['REFERENCES', 'x'], ['TRIGGER', 't'],
  ['EXECUTE', 'X'], ['USAGE', 'U'], ['CREATE', 'C'], ['MAINTAIN', 'm'],
];

/** `anon=arwdDxt,PUBLIC=X`: grantees sorted, privileges as aclitem letters. */
function grantsText(grants: Grants, keepEmpty = false): string | undefined {
  const entries = [...grants]
    .filter(([, privileges]) => keepEmpty || privileges.size > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([grantee, privileges]) => `${grantee}=${PRIVILEGE_LETTERS.filter(([privilege]) => privileges.has(privilege)).map(([, letter]) => letter).join('')}`);
  return entries.length > 0 ? entries.join(',') : undefined;
}

function fields(entries: [string, string | undefined][], prefix = ''): string {
  const text = entries.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${value}`).join(' ');
  return text ? `${prefix}${text}` : '';
}

function originText(origin: Origin): string {
  const parts: string[] = [];
  if (origin.definedAt) parts.push(` defined=${origin.definedAt.file}:${origin.definedAt.line}`);
  if (origin.changedAt) parts.push(` changed=${origin.changedAt.file}:${origin.changedAt.line}`);
  return parts.join('');
}

function quoted(text: string | undefined): string | undefined {
  return text === undefined ? undefined : JSON.stringify(text);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
