/** CREATE [OR REPLACE] [CONSTRAINT] TRIGGER. */
import type { CreateTrigStmt } from '@pgsql/types';
import type { Trigger } from '../model';
import { expressionInParentheses } from './expressions';
import { stringList } from './names';
import { reportAlreadyExists, reportMissing } from './references';
import { originHere, tableFor } from './relations';
import type { ReplayState } from './replayState';

// TRIGGER_TYPE_* bits from src/include/catalog/pg_trigger.h.
const TRIGGER_TYPE_BEFORE = 1 << 1;
const TRIGGER_TYPE_INSTEAD = 1 << 6;
const TRIGGER_EVENTS: [number, string][] = [[1 << 2, 'insert'], [1 << 4, 'update'], [1 << 3, 'delete'], [1 << 5, 'truncate']];

/** CREATE TRIGGER name BEFORE | AFTER | INSTEAD OF events ON table ... EXECUTE FUNCTION f(). */
export function createTrigger(state: ReplayState, stmt: CreateTrigStmt): void {
  const table = tableFor(state, stmt.relation);
  if (!table || !stmt.trigname) return;
  const existing = table.triggers.get(stmt.trigname);
  if (existing && !stmt.replace) {
    const qualified = `${table.schema}.${table.name}`;
    return reportAlreadyExists(state, 'trigger', `${stmt.trigname} on ${qualified}`, qualified, { platform: table.platform, origin: existing.origin });
  }
  const names = stringList(stmt.funcname);
  const name = names[names.length - 1] ?? '';
  const schemas = names.length > 1 ? [names[names.length - 2]] : state.searchPath;
  // Trigger functions take no declared arguments; the trigger's arguments reach them through TG_ARGV.
  let functionKey = `${schemas[0] ?? 'public'}.${name}()`;
  const found = schemas.map((schema) => `${schema}.${name}()`).find((key) => state.catalog.functions.has(key));
  if (found) functionKey = found;
  else reportMissing(state, 'function', functionKey);
  const timing = stmt.timing ?? 0;
  const trigger: Trigger = {
    name: stmt.trigname,
    table: `${table.schema}.${table.name}`,
    function: functionKey,
    timing: timing & TRIGGER_TYPE_INSTEAD ? 'instead of' : timing & TRIGGER_TYPE_BEFORE ? 'before' : 'after',
    events: TRIGGER_EVENTS.filter(([bit]) => ((stmt.events ?? 0) & bit) !== 0).map(([, event]) => event),
    forEach: stmt.row ? 'row' : 'statement',
    when: expressionInParentheses(state, stmt.whenClause, 0, ['when']),
    enabled: true,
    origin: originHere(state),
  };
  table.triggers.set(trigger.name, trigger);
}
