/**
 * "pgreview: Show Policy Matrix": the RLS matrix of `src/core/policies` (tables × roles × commands)
 * in the panel's Policy Matrix tab, and the way back from a cell to the CREATE POLICY statements
 * that produce it. The catalog is the migrations' (the workspace analysis), or the connected
 * database's when the tree shows the database.
 */
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/model';
import type { SourceSpan } from '../core/sql/span';
import { computePolicyMatrix, type PolicyMatrixCell, type PolicyReference } from '../core/policies/computePolicyMatrix';
import { describeMatrixRowRls } from '../core/policies/renderPolicyMatrix';
import type { MatrixCell, MatrixPolicy, PolicyMatrixData } from '../../webview/protocol';
import { rangeOf, type WorkspaceAnalysis } from './workspaceAnalysis';

/** Where the matrix reads its catalog from. */
export type MatrixCatalogSource = { kind: 'migrations'; catalog: Catalog } | { kind: 'database'; profile: string; catalog: Catalog };

/**
 * Computes the matrix of a catalog and converts it into the panel's plain shape; `folder` is the
 * project folder's label in a multi-root workspace.
 */
export function buildPolicyMatrixData(source: MatrixCatalogSource, migrationsCatalog: Catalog | undefined, folder?: string): PolicyMatrixData {
  const matrix = computePolicyMatrix(source.catalog);
  return {
    ...(folder !== undefined ? { folder } : {}),
    source: source.kind === 'database' ? { kind: 'database', profile: source.profile } : { kind: 'migrations' },
    roles: matrix.roles,
    commands: [...matrix.commands],
    rows: matrix.rows.map((row) => ({
      table: row.table,
      kind: row.kind,
      rlsEnabled: row.rlsEnabled,
      rlsForced: row.rlsForced,
      rls: describeMatrixRowRls(row),
      cells: row.cells.map((cell) => toMatrixCell(cell, migrationsCatalog)),
    })),
    computedAt: new Date().toISOString(),
  };
}

/** A core cell in the panel's shape; `migrationsCatalog` tells which policies a migration defines. */
export function toMatrixCell(cell: PolicyMatrixCell, migrationsCatalog: Catalog | undefined): MatrixCell {
  return {
    role: cell.role,
    command: cell.command,
    access: cell.access,
    using: cell.using,
    withCheck: cell.withCheck,
    reason: cell.reason,
    flags: cell.flags.map((flag) => flag.message),
    policies: cell.policies.map((policy) => toMatrixPolicy(policy, migrationsCatalog)),
  };
}

export function toMatrixPolicy(policy: PolicyReference, migrationsCatalog: Catalog | undefined): MatrixPolicy {
  return {
    name: policy.name,
    key: policy.key,
    permissive: policy.permissive,
    command: policy.command,
    hasLocation: migrationsCatalog ? findPolicySpan(migrationsCatalog, policy.key) !== undefined : false,
  };
}

/**
 * Opens the migration that creates a policy, with the cursor on its CREATE POLICY statement. A
 * policy read from a database is looked up by the same key among the migrations' policies.
 */
export async function revealPolicy(analysis: WorkspaceAnalysis, key: string): Promise<vscode.TextEditor | undefined> {
  const catalog = analysis.current?.analysis.catalog;
  const span = catalog ? findPolicySpan(catalog, key) : undefined;
  if (!span) {
    void vscode.window.showInformationMessage(`pgreview: no migration creates the policy ${key.slice(key.indexOf(':') + 1)}.`);
    return undefined;
  }
  const uri = analysis.uriOf(span.file);
  if (!uri) return undefined;
  const start = rangeOf(span).start;
  return vscode.window.showTextDocument(uri, { selection: new vscode.Range(start, start), viewColumn: vscode.ViewColumn.One, preview: true });
}

/** The statement that created a policy, from its key `policy:schema.table/name`. */
function findPolicySpan(catalog: Catalog, key: string): SourceSpan | undefined {
  const match = /^policy:(.+?)\/(.*)$/s.exec(key);
  if (!match) return undefined;
  return catalog.tables.get(match[1])?.policies.get(match[2])?.origin.definedAt;
}
