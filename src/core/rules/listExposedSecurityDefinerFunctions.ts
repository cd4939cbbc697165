import type { Catalog, Func } from '../catalog/model';
import { isExposedSchema } from '../catalog/privileges';
import type { RuleContext } from './ruleContext';

/**
 * The migrations' SECURITY DEFINER functions that the Data API can call: in an exposed schema,
 * and callable as functions. Procedures and aggregates are not reachable through `/rpc`, and
 * trigger functions cannot be called directly at all, so they are left out.
 */
export function listExposedSecurityDefinerFunctions(catalog: Catalog, context: RuleContext): Func[] {
  return [...catalog.functions.values()].filter(
    (fn) =>
      fn.securityDefiner &&
      fn.kind === 'function' &&
      !fn.platform &&
      fn.extension === undefined &&
      !context.isManagedSchema(fn.schema) &&
      isExposedSchema(catalog, fn.schema) &&
      fn.returns !== 'trigger' &&
      fn.returns !== 'event_trigger',
  );
}
