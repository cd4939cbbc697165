import type { FuncCall, Node } from '@pgsql/types';
import { objectKey, type Catalog, type Func, type Policy, type PolicyCommand, type Table, type View } from '../catalog/model';
import { API_ROLES, rolesWithPrivilegesOf } from '../catalog/privileges';
import type { RelatedLocation } from '../finding';
import { expressionFacts } from '../sql/expressionFacts';
import { functionBodyStatements } from '../sql/functionBodyStatements';
import { functionCallName } from '../sql/functionCallName';
import { memoizeByNode } from '../sql/memoizeByNode';
import { joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';
import { memoizeByObject } from './memoizeByObject';
import type { RuleContext } from './ruleContext';

export default defineRule({
  id: 'policy_infinite_recursion',
  name: 'Policy Infinite Recursion',
  level: 'error',
  category: 'correctness',
  needs: 'S',
  description: 'A policy reads its own table again, through a sub-select, another table\'s policies or a SECURITY INVOKER function, so PostgreSQL refuses the queries it applies to with "infinite recursion detected in policy for relation" (or, through a function, runs out of stack).',
  check(catalog, context) {
    const explorer = new RecursionExplorer(catalog, context);
    // One finding per cycle, keyed by the policies on it: the same cycle is met again from each
    // table on it, for each command and role. The first meeting decides where the finding goes.
    const cycles = new Map<string, { failure: Failure; roles: string[] }>();
    for (const table of catalog.tables.values()) {
      if (table.platform || context.isManagedSchema(table.schema) || !table.rlsEnabled || table.policies.size === 0) continue;
      if (!explorer.mayLoopFrom(`${table.schema}.${table.name}`)) continue;
      for (const role of explorer.queryRoles) {
        for (const command of COMMANDS) {
          const failure = explorer.explore(table, command, role);
          // A cycle closed by a platform's own policy (storage.objects, say) is not the project's to fix.
          const closingTable = failure && catalog.tables.get(failure.closingPolicy.table);
          if (!failure || !closingTable || closingTable.platform || context.isManagedSchema(closingTable.schema)) continue;
          const key = failure.cyclePolicies.map((policy) => objectKey.policy(policy.table, policy.name)).sort().join('\0');
          const cycle = cycles.get(key) ?? { failure, roles: [] };
          if (!cycle.roles.includes(role)) cycle.roles.push(role);
          cycles.set(key, cycle);
        }
      }
    }
    return [...cycles.values()].map(({ failure, roles }) => failureReport(failure, roles));
  },
});

type QueryCommand = Exclude<PolicyCommand, 'all'>;

const COMMANDS: QueryCommand[] = ['select', 'insert', 'update', 'delete'];

/** One step of the path a query takes through policies and functions. */
type Step =
  | { kind: 'relation'; name: string; command: QueryCommand }
  | { kind: 'policy'; policy: Policy }
  | { kind: 'function'; func: Func };

/** A query that cannot run, and why. */
interface Failure {
  /** What the server answers: 42P17 from the rewriter, or 54001 when functions call each other without end. */
  error: 'infinite recursion' | 'stack depth';
  /** The relation the rewriter met again (42P17), or the function called again while it runs (54001). */
  relation: string;
  path: Step[];
  /** The policies on the cycle itself (the part of the path after the first visit of the repeated step). */
  cyclePolicies: Policy[];
  /** The last policy on the path: the one whose clause closes the cycle, where the finding goes. */
  closingPolicy: Policy;
  /**
   * For 42P17: the policies of the repeated read that hold a sub-select, which is what makes meeting
   * the relation again an error (an UPDATE policy reading its table fails only because of them).
   */
  repeatedPolicies: Policy[];
}

/** Each start follows at most this many reads; a larger tangle of policies is left unjudged (silence). */
const STEP_BUDGET = 5_000;

/**
 * Follows a query through policies as PostgreSQL does, for one catalog.
 *
 * The rewriter (fireRIRrules in src/backend/rewrite/rewriteHandler.c) adds each relation's policy
 * clauses to the query. When those clauses hold any sub-select (`hassublinks`, which is true for
 * the scalar `(select auth.uid())` too, and is computed over a policy's USING and WITH CHECK
 * together), it raises 42P17 if the relation is already on its stack of relations being expanded
 * (`activeRIRs`); otherwise it pushes the relation and expands the sub-selects, whose relations
 * get their SELECT policies in turn. A relation whose clauses hold no sub-select is never pushed.
 *
 * Functions called from a clause are not expanded by the rewriter: they run when the clause is
 * evaluated, and their queries are rewritten afresh, as the caller (SECURITY INVOKER) or as the
 * function's owner (SECURITY DEFINER). A function that is called again while it runs (for the same
 * role) never returns: the server stops with 54001, stack depth limit exceeded, once a row makes
 * the clause call it.
 */
class RecursionExplorer {
  /** The roles whose queries are followed: the API's, and any a policy names, that do not bypass RLS. */
  readonly queryRoles: string[];
  /** The functions of each qualified name, with how many arguments a call may pass to each. */
  private readonly functionsByName = new Map<string, { func: Func; required: number; inputs: number }[]>();
  /** What of each function decides the graph: which calls resolve to it, and what its body reads and calls. */
  private readonly functionShapes = new Map<string, FunctionShape>();
  private readonly privilegesByRole = new Map<string, Set<string>>();
  private readonly clausesByRead = new Map<string, AppliedClauses>();
  private steps = 0;
  /**
   * What a read (relation, command, role) reached, kept when it did not depend on the stack and
   * the running functions it was met with. Met again where none of the relations and functions
   * it checks against them is on them, it would do the same again, and its failures are already
   * found: it is skipped. That keeps a catalog of many tables that read each other linear.
   */
  private readonly reached = new Map<string, Reach>();

  constructor(
    private readonly catalog: Catalog,
    private readonly context: RuleContext,
  ) {
    for (const [key, func] of catalog.functions) {
      const name = `${func.schema}.${func.name}`;
      // Counted without building lists: every function of the catalog comes here on every check.
      let inputs = 0;
      let required = 0;
      for (const argument of func.arguments) {
        if (argument.mode === 'out' || argument.mode === 'table') continue;
        inputs++;
        if (argument.default === undefined) required++;
      }
      const list = this.functionsByName.get(name);
      if (list) list.push({ func, required, inputs });
      else this.functionsByName.set(name, [{ func, required, inputs }]);
      this.functionShapes.set(key, { name, required, inputs, bodyStatements: functionBodyStatements(func) });
    }
    const roles = new Set<string>(API_ROLES.filter((role) => catalog.roles.has(role)));
    for (const table of catalog.tables.values()) for (const role of policyGraphFactsOf(table, '', context).roles) roles.add(role);
    const queryRoles = [...roles].filter((role) => !this.bypassesEveryPolicy(role));
    // Without any role (plain PostgreSQL, no roles created), PUBLIC stands for every role.
    this.queryRoles = queryRoles.length > 0 ? queryRoles : ['public'];
  }

  /**
   * False when no query starting at `relation` can meet a relation or function twice, whatever
   * the command and role: the graph of everything policies, views and functions may read or call
   * (a superset of what any one query follows) has no cycle reachable from it. Most catalogs have
   * none, so most tables are never explored: this keeps the rule's cost linear in the catalog.
   */
  mayLoopFrom(relation: string): boolean {
    this.loopingNodes ??= this.loopingNodesOfCatalog();
    return this.loopingNodes.has(`relation:${relation}`);
  }

  private loopingNodes: Set<string> | undefined;

  /**
   * The graph's nodes that reach a cycle, reused from the last check when what its edges are made
   * of is the same: what each table's policies and each view read and call, and the functions
   * calls resolve to. A re-check after an edit that changes no policy, view or function (an
   * index, a column) then builds no graph; the comparison reads each table's facts, which are
   * cached by table, and each function's shape.
   */
  private loopingNodesOfCatalog(): Set<string> {
    const tables = new Map<string, PolicyGraphFacts>();
    for (const table of this.catalog.tables.values()) {
      if (table.policies.size > 0) {
        const facts = policyGraphFactsOf(table, '', this.context);
        tables.set(facts.relation, facts);
      }
    }
    const views = new Map<string, GraphFacts>();
    for (const [qualified, view] of this.catalog.views) {
      const facts = queryFacts(view.definition.ast);
      if (facts) views.set(qualified, facts);
    }
    const inputs: GraphInputs = { tables, views, functions: this.functionShapes };
    if (lastGraph && sameGraphInputs(lastGraph.inputs, inputs)) return lastGraph.loopingNodes;
    const loopingNodes = this.findNodesReachingACycle(inputs);
    lastGraph = { inputs, loopingNodes };
    return loopingNodes;
  }

  private findNodesReachingACycle(inputs: GraphInputs): Set<string> {
    const edges = new Map<string, string[]>();
    const calledFunctions: Func[] = [];
    // The same few functions (auth.uid()) are called from thousands of clauses: one node name each.
    const functionNodes = new Map<Func, string>();
    const addEdges = (from: string, reads: readonly string[], calls: readonly CallSite[]): void => {
      if (reads.length === 0 && calls.length === 0 && edges.has(from)) return;
      const targets = edges.get(from) ?? [];
      for (const read of reads) targets.push(`relation:${read}`);
      for (const call of calls) {
        const func = this.resolveFunction(call);
        if (!func) continue;
        let node = functionNodes.get(func);
        if (node === undefined) {
          node = `function:${func.key}`;
          functionNodes.set(func, node);
          edges.set(node, []);
          calledFunctions.push(func);
        }
        targets.push(node);
      }
      edges.set(from, targets);
    };
    for (const [relation, facts] of inputs.tables) addEdges(`relation:${relation}`, facts.reads, facts.calls);
    for (const [qualified, facts] of inputs.views) addEdges(`relation:${qualified}`, facts.reads, facts.calls);
    // Only a function that a policy or a view calls, directly or through other functions, is on a
    // path from a table: the bodies of the others (most, and each a parse) are never read.
    for (let func = calledFunctions.pop(); func; func = calledFunctions.pop()) {
      const body = bodyFacts(func);
      if (body) addEdges(`function:${func.key}`, body.reads, body.calls);
    }
    return nodesReachingACycle(edges);
  }

  /**
   * The first way a query of `command` on `table` as `role` fails, as the server stops at the
   * first. Another cycle behind it is found from another table on it, or once this one is fixed.
   */
  explore(table: Table, command: QueryCommand, role: string): Failure | undefined {
    this.steps = 0;
    try {
      this.rewrite(`${table.schema}.${table.name}`, command, role, [], [], []);
    } catch (error) {
      if (error instanceof FailureFound) return error.failure;
      if (error instanceof BudgetExceeded) return undefined;
      throw error;
    }
    return undefined;
  }

  /**
   * Rewrites a read of `relation` as `role`: `active` is the rewriter's stack of relations with
   * sub-selects being expanded, `calls` the functions running (each with its role), `path` how
   * the query got here.
   */
  private rewrite(relation: string, command: QueryCommand, role: string, active: string[], calls: string[], path: Step[]): Reach {
    if (++this.steps > STEP_BUDGET) throw new BudgetExceeded();
    const memoKey = `${relation}\0${command}\0${role}`;
    const known = this.reached.get(memoKey);
    if (known && !meets(known, active, calls)) return known;
    const reach: Reach = { relations: new Set(), functions: new Set() };
    const here: Step[] = [...path, { kind: 'relation', name: relation, command }];
    const view = this.catalog.views.get(relation);
    const table = this.catalog.tables.get(relation);
    if (view) {
      this.rewriteView(view, role, active, calls, here, reach);
    } else if (table && table.rlsEnabled && !this.bypasses(role, table)) {
      const clauses = this.appliedClauses(table, command, role);
      if (clauses.hasSubLinks) {
        reach.relations.add(relation);
        if (active.includes(relation)) {
          this.recursionFailure(relation, here, clauses.policies);
          return reach;
        }
        for (const { policy, ast } of clauses.clauses) {
          for (const read of queryFacts(ast)?.reads ?? []) addReach(reach, this.rewrite(read, 'select', role, [...active, relation], calls, [...here, { kind: 'policy', policy }]));
        }
      }
      for (const { policy, ast } of clauses.clauses) {
        for (const call of queryFacts(ast)?.calls ?? []) addReach(reach, this.call(call, role, calls, [...here, { kind: 'policy', policy }]));
      }
    }
    if (!meets(reach, active, calls)) this.reached.set(memoKey, reach);
    return reach;
  }

  /** The clauses of a table for a command and role, computed once per check. */
  private appliedClauses(table: Table, command: QueryCommand, role: string): AppliedClauses {
    const key = `${table.schema}.${table.name}\0${command}\0${role}`;
    let clauses = this.clausesByRead.get(key);
    if (!clauses) {
      clauses = appliedClauses(table, command, this.memberships(role));
      this.clausesByRead.set(key, clauses);
    }
    return clauses;
  }

  /**
   * A view is expanded in place, on the same stack: its relations are read with the caller's
   * rights when it is `security_invoker`, else with its owner's. Its function calls run as the
   * caller either way, since a view switches only whose privileges are checked, not the user.
   */
  private rewriteView(view: View, role: string, active: string[], calls: string[], here: Step[], reach: Reach): void {
    const reader = view.securityInvoker ? role : (view.owner ?? this.catalog.migrationRole);
    const facts = queryFacts(view.definition.ast);
    if (!facts) return;
    for (const read of facts.reads) addReach(reach, this.rewrite(read, 'select', reader, active, calls, here));
    for (const call of facts.calls) addReach(reach, this.call(call, role, calls, here));
  }

  /** A function called from a clause: its queries are rewritten afresh, as whoever it runs as. */
  private call(call: CallSite, role: string, calls: string[], path: Step[]): Reach {
    // The function's queries start a stack of their own: only the running functions carry over.
    const reach: Reach = { relations: new Set(), functions: new Set() };
    const func = this.resolveFunction(call);
    const body = func && bodyFacts(func);
    if (!func || !body) return reach;
    const runsAs = func.securityDefiner ? (func.owner ?? this.catalog.migrationRole) : role;
    const running = `${func.key}\0${runsAs}`;
    reach.functions.add(running);
    const here: Step[] = [...path, { kind: 'function', func }];
    if (calls.includes(running)) {
      this.stackFailure(func, here);
      return reach;
    }
    const nowRunning = [...calls, running];
    for (const read of body.reads) addFunctions(reach, this.rewrite(read, 'select', runsAs, [], nowRunning, here));
    for (const inner of body.calls) addFunctions(reach, this.call(inner, runsAs, nowRunning, here));
    return reach;
  }

  private recursionFailure(relation: string, path: Step[], repeatedPolicies: Policy[]): void {
    const first = path.findIndex((step) => step.kind === 'relation' && step.name === relation);
    this.failure('infinite recursion', relation, path, first, repeatedPolicies.filter(hasSubLinks));
  }

  /**
   * A function met again while it runs. Only a loop through a policy counts: a function that calls
   * itself directly is a recursive function, whose own condition may end it; through a policy it
   * runs again for the rows of a table it reads, whatever its arguments.
   */
  private stackFailure(func: Func, path: Step[]): void {
    const first = path.findIndex((step) => step.kind === 'function' && step.func === func);
    if (!path.slice(first).some((step) => step.kind === 'policy')) return;
    this.failure('stack depth', `${func.schema}.${func.name}`, path, first, []);
  }

  private failure(error: Failure['error'], relation: string, path: Step[], cycleStart: number, repeatedPolicies: Policy[]): void {
    const policies = path.flatMap((step) => (step.kind === 'policy' ? [step.policy] : []));
    const cyclePolicies = path.slice(Math.max(cycleStart, 0)).flatMap((step) => (step.kind === 'policy' ? [step.policy] : []));
    const closingPolicy = policies[policies.length - 1];
    if (!closingPolicy) return;
    throw new FailureFound({ error, relation, path, cyclePolicies: cyclePolicies.length > 0 ? cyclePolicies : [closingPolicy], closingPolicy, repeatedPolicies });
  }

  /**
   * The function a call names, when exactly one function of the catalog fits its name and number
   * of arguments. Calls that fit none or several are not followed.
   */
  private resolveFunction(call: CallSite): Func | undefined {
    // Every call of every policy clause comes here once for the graph: no list is built.
    const candidates = this.functionsByName.get(call.name);
    if (!candidates) return undefined;
    const argumentCount = call.argumentCount;
    let found: Func | undefined;
    for (const { func, required, inputs } of candidates) {
      if (argumentCount < required || argumentCount > inputs) continue;
      if (found) return undefined;
      found = func;
    }
    return found;
  }

  /**
   * RLS does not apply to superusers, to roles with BYPASSRLS, nor to the table's owner unless
   * the table forces RLS (check_enable_rls in src/backend/utils/misc/rls.c).
   */
  private bypasses(role: string, table: Table): boolean {
    if (this.bypassesEveryPolicy(role)) return true;
    const owner = table.owner ?? this.catalog.migrationRole;
    return !table.rlsForced && (role === owner || this.memberships(role).has(owner));
  }

  private bypassesEveryPolicy(role: string): boolean {
    const definition = this.catalog.roles.get(role);
    return definition !== undefined && (definition.superuser || definition.bypassRls);
  }

  /** The roles whose privileges `role` has (a policy for any of them applies to it), computed once per role. */
  private memberships(role: string): Set<string> {
    let roles = this.privilegesByRole.get(role);
    if (!roles) {
      roles = rolesWithPrivilegesOf(this.catalog, role);
      this.privilegesByRole.set(role, roles);
    }
    return roles;
  }
}

/**
 * The nodes of a directed graph from which a cycle can be reached: Tarjan's strongly connected
 * components (iteratively, for deep graphs) find the nodes on a cycle, then a walk back along the
 * edges adds every node that leads to one.
 */
function nodesReachingACycle(edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const onCycle = new Set<string>();
  let counter = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    lowLink.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (target === frame.node) onCycle.add(target);
        if (!index.has(target)) {
          index.set(target, counter);
          lowLink.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        lowLink.set(parent, Math.min(lowLink.get(parent)!, lowLink.get(frame.node)!));
      }
      if (lowLink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) for (const node of component) onCycle.add(node);
      }
    }
  }
  const reverse = new Map<string, string[]>();
  for (const [from, targets] of edges) {
    for (const target of targets) {
      const sources = reverse.get(target) ?? [];
      sources.push(from);
      reverse.set(target, sources);
    }
  }
  const reaching = new Set(onCycle);
  const queue = [...onCycle];
  while (queue.length > 0) {
    for (const source of reverse.get(queue.pop()!) ?? []) {
      if (reaching.has(source)) continue;
      reaching.add(source);
      queue.push(source);
    }
  }
  return reaching;
}

class BudgetExceeded extends Error {}

/** Unwinds the exploration at the first failure, as the server stops at the first error. */
class FailureFound extends Error {
  constructor(readonly failure: Failure) {
    super('failure found');
  }
}

/** The relations a read checks against the rewriter's stack, and the functions it checks against those running. */
interface Reach {
  relations: Set<string>;
  functions: Set<string>;
}

function meets(reach: Reach, active: string[], calls: string[]): boolean {
  return active.some((relation) => reach.relations.has(relation)) || calls.some((running) => reach.functions.has(running));
}

function addReach(into: Reach, from: Reach): void {
  for (const relation of from.relations) into.relations.add(relation);
  addFunctions(into, from);
}

/** Only the functions: the relations a function's queries check are checked against their own stack. */
function addFunctions(into: Reach, from: Reach): void {
  for (const running of from.functions) into.functions.add(running);
}

/** The policy clauses PostgreSQL adds to a query, and whether any of their policies holds a sub-select. */
interface AppliedClauses {
  clauses: { policy: Policy; ast: Node }[];
  policies: Policy[];
  hasSubLinks: boolean;
}

/**
 * The clauses get_row_security_policies (src/backend/rewrite/rowsecurity.c) adds for the simplest
 * query of each command: USING of SELECT policies for a read; WITH CHECK (or USING where there is
 * none) of INSERT policies for an insert; USING and the check of UPDATE policies for an update;
 * USING of DELETE policies for a delete. Restrictive policies count only when a permissive one
 * applies (without one, the query sees no rows and runs no clause). Updates and deletes with a
 * WHERE clause add the SELECT policies too; those fail on their own as a read.
 */
function appliedClauses(table: Table, command: QueryCommand, memberships: Set<string>): AppliedClauses {
  const applicable = [...table.policies.values()].filter(
    (policy) => (policy.command === command || policy.command === 'all') && policy.roles.some((name) => name === 'public' || memberships.has(name)),
  );
  const clausesOf = (policy: Policy): Node[] => {
    const using = policy.using?.ast;
    const check = policy.withCheck?.ast ?? using;
    if (command === 'select' || command === 'delete') return using ? [using] : [];
    if (command === 'insert') return check ? [check] : [];
    return [using, check].filter((ast): ast is Node => ast !== undefined);
  };
  const permissive = applicable.filter((policy) => policy.permissive && clausesOf(policy).length > 0);
  const used = permissive.length > 0 ? [...permissive, ...applicable.filter((policy) => !policy.permissive && clausesOf(policy).length > 0)] : [];
  return {
    clauses: used.flatMap((policy) => [...new Set(clausesOf(policy))].map((ast) => ({ policy, ast }))),
    policies: used,
    hasSubLinks: used.some(hasSubLinks),
  };
}

/** PostgreSQL's `hassublinks`: over USING and WITH CHECK together, whichever the query uses. */
function hasSubLinks(policy: Policy): boolean {
  return (queryFacts(policy.using?.ast)?.hasSubLinks ?? false) || (queryFacts(policy.withCheck?.ast)?.hasSubLinks ?? false);
}

/** What a query, or a policy clause, makes PostgreSQL do. */
interface QueryFacts {
  /** Qualified names of the relations it reads (for a clause: the relations its sub-selects read). */
  reads: string[];
  /** Every function it calls, inside sub-selects too. */
  calls: CallSite[];
  /** Whether it holds a sub-select: PostgreSQL's `hassublinks`, for a policy clause. */
  hasSubLinks: boolean;
}

/**
 * Every relation named in a FROM anywhere in the tree (common table expressions are not
 * relations: an unqualified name a WITH defines is left out) and every function call. An
 * unqualified relation is taken from public, where the migrations' search_path finds it. Derived
 * from `expressionFacts`, which the other policy rules have already collected for the same trees.
 */
const queryFacts = memoizeByNode((ast: Node): QueryFacts => {
  const { relations, cteNames, calls, hasSubLinks } = expressionFacts(ast);
  const reads = new Set<string>();
  for (const range of relations) {
    if (!range.relname || (!range.schemaname && cteNames.has(range.relname))) continue;
    reads.add(`${range.schemaname ?? 'public'}.${range.relname}`);
  }
  return { reads: [...reads], calls: calls.map((site) => callSiteOf(site.call)), hasSubLinks };
});

/**
 * A call as the rule follows it: the function's qualified name (an unqualified name is looked up
 * in public, as the migrations' search_path has it) and how many arguments it passes.
 */
interface CallSite {
  name: string;
  argumentCount: number;
}

function callSiteOf(call: FuncCall): CallSite {
  const name = functionCallName(call);
  return { name: name.includes('.') ? name : `public.${name}`, argumentCount: call.args?.length ?? 0 };
}

/** What a graph node reads and calls. */
type GraphFacts = Pick<QueryFacts, 'reads' | 'calls'>;

/** What one table's policies read and call, and the roles they name besides PUBLIC. */
interface PolicyGraphFacts extends GraphFacts {
  /** The table's qualified name. */
  relation: string;
  roles: string[];
}

/**
 * Cached by table: a re-check reads again only the tables its edit touched, since the others are
 * the same objects, and a table's policies are all these facts read.
 */
const policyGraphFactsOf = memoizeByObject((table: Table): PolicyGraphFacts => {
  const reads: string[] = [];
  const calls: CallSite[] = [];
  const roles = new Set<string>();
  for (const policy of table.policies.values()) {
    for (const clause of [policy.using?.ast, policy.withCheck?.ast]) {
      const facts = queryFacts(clause);
      if (!facts) continue;
      reads.push(...facts.reads);
      calls.push(...facts.calls);
    }
    for (const role of policy.roles) if (role !== 'public') roles.add(role);
  }
  return { relation: `${table.schema}.${table.name}`, reads, calls, roles: [...roles] };
});

/** What the graph of reads and calls is built from. */
interface GraphInputs {
  /** By relation: the tables with policies. */
  tables: Map<string, PolicyGraphFacts>;
  /** By relation: the views whose definition parsed. */
  views: Map<string, GraphFacts>;
  /** By function key. */
  functions: Map<string, FunctionShape>;
}

interface FunctionShape {
  /** Qualified name, and the range of argument counts a call may pass. */
  name: string;
  required: number;
  inputs: number;
  /** What `bodyFacts` reads: the parsed body is one object per body text and signature (`functionBodyStatements`). */
  bodyStatements: readonly Node[];
}

/**
 * The last graph the rule built and what it was built from, whichever catalog it came from: a
 * check reuses it only when its own inputs are equal, so two workspaces taking turns only cost
 * the graph being built again.
 */
let lastGraph: { inputs: GraphInputs; loopingNodes: Set<string> } | undefined;

function sameGraphInputs(a: GraphInputs, b: GraphInputs): boolean {
  return sameEntries(a.tables, b.tables, sameGraphFacts) && sameEntries(a.views, b.views, sameGraphFacts) && sameEntries(a.functions, b.functions, sameFunctionShape);
}

function sameEntries<V>(a: ReadonlyMap<string, V>, b: ReadonlyMap<string, V>, same: (x: V, y: V) => boolean): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    const other = b.get(key);
    if (other === undefined || (other !== value && !same(value, other))) return false;
  }
  return true;
}

function sameGraphFacts(a: GraphFacts, b: GraphFacts): boolean {
  return (
    a.reads.length === b.reads.length &&
    a.calls.length === b.calls.length &&
    a.reads.every((read, index) => read === b.reads[index]) &&
    a.calls.every((call, index) => call.name === b.calls[index].name && call.argumentCount === b.calls[index].argumentCount)
  );
}

function sameFunctionShape(a: FunctionShape, b: FunctionShape): boolean {
  return a.name === b.name && a.required === b.required && a.inputs === b.inputs && a.bodyStatements === b.bodyStatements;
}

/**
 * What a function's body reads and calls: each SELECT in it is a query run as the function runs
 * (`functionBodyStatements`). Parts that do not parse are left out (a read found is certain; one
 * missed leaves the rule silent), and other languages are not followed.
 */
function bodyFacts(func: Func): QueryFacts | undefined {
  const statements = functionBodyStatements(func);
  if (factsByBody.has(statements)) return factsByBody.get(statements);
  const selects = statements.filter((statement) => 'SelectStmt' in statement);
  const facts = selects.length === 0 ? undefined : {
    reads: [...new Set(selects.flatMap((select) => queryFacts(select)?.reads ?? []))],
    calls: selects.flatMap((select) => queryFacts(select)?.calls ?? []),
    hasSubLinks: selects.some((select) => queryFacts(select)?.hasSubLinks ?? false),
  };
  factsByBody.set(statements, facts);
  return facts;
}

/**
 * Facts by parsed body: `functionBodyStatements` keeps one parse per body text, language, return
 * type and arguments (PL/pgSQL's parse reads the arguments), so the same key decides both.
 */
const factsByBody = new WeakMap<readonly Node[], QueryFacts | undefined>();

function failureReport(failure: Failure, roles: string[]): RuleReport {
  const policy = failure.closingPolicy;
  const start = failure.path[0];
  const command = start.kind === 'relation' ? start.command.toUpperCase() : 'SELECT';
  const on = start.kind === 'relation' ? start.name : policy.table;
  const route = failure.path.map(describeStep).filter((text) => text !== '').join(' → ');
  const relationName = failure.relation.slice(failure.relation.indexOf('.') + 1);
  const outcome =
    failure.error === 'infinite recursion'
      ? `fails with: infinite recursion detected in policy for relation "${relationName}"`
      : `fails once a row reaches the call, with: stack depth limit exceeded (${failure.relation} runs again while it runs)`;
  const repeated = failure.repeatedPolicies.filter((other) => !failure.cyclePolicies.includes(other));
  const because =
    repeated.length > 0
      ? `; the SELECT ${repeated.length === 1 ? 'policy' : 'policies'} ${repeated.map((other) => `"${other.name}"`).join(', ')} of ${failure.relation} ${repeated.length === 1 ? 'holds a sub-select' : 'hold sub-selects'}, even a scalar (select ...) counts`
      : '';
  const related: RelatedLocation[] = [];
  for (const other of [...failure.cyclePolicies, ...repeated]) {
    if (other === policy || !other.origin.definedAt || related.some((entry) => entry.span === other.origin.definedAt)) continue;
    related.push({ message: `Policy "${other.name}" on ${other.table} is on the cycle.`, span: other.origin.definedAt });
  }
  return {
    object: `${policy.table}.${policy.name}`,
    objectKey: objectKey.policy(policy.table, policy.name),
    message: `${command} on ${on} as ${joinRoleNames(roles)} ${outcome}: ${route}${because}. Read the table inside a policy only through a SECURITY DEFINER function owned by the table's owner.`,
    span: policy.origin.definedAt,
    ...(related.length > 0 ? { related } : {}),
  };
}

/** `public.group_members select`, `public.is_member(uuid)`; policies are named in the finding's object. */
function describeStep(step: Step, index: number): string {
  if (step.kind === 'relation') return index === 0 ? `${step.name} ${step.command}` : step.name;
  if (step.kind === 'function') return step.func.key;
  return '';
}
