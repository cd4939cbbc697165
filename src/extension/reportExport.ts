/**
 * Export Report: renders the last analysis with core's report renderers and writes the file the
 * user picks. Rule docs for SARIF are read here, because core reads no files.
 */
import * as vscode from 'vscode';
import { allRules } from '../core/rules';
import { renderJson } from '../core/report/renderJson';
import { renderMarkdown } from '../core/report/renderMarkdown';
import { renderSarif } from '../core/report/renderSarif';
import type { ReportInput } from '../core/report/summarizeReport';
import type { AnalysisSnapshot } from './workspaceAnalysis';

export type ReportFormat = 'markdown' | 'sarif' | 'json';

const EXTENSIONS: Record<ReportFormat, string> = { markdown: 'md', sarif: 'sarif', json: 'json' };

/** Writes the report to `target` and returns it. */
export async function exportReport(snapshot: AnalysisSnapshot, format: ReportFormat, target: vscode.Uri, extensionUri: vscode.Uri, version: string): Promise<vscode.Uri> {
  const input: ReportInput = {
    findings: snapshot.findings,
    files: snapshot.paths.length,
    statements: snapshot.analysis.files.reduce((total, file) => total + file.statements.length, 0),
  };
  let text: string;
  switch (format) {
    case 'json':
      text = renderJson(input);
      break;
    case 'sarif':
      text = renderSarif(input, { rules: allRules, docs: await readRuleDocs(extensionUri), toolVersion: version });
      break;
    case 'markdown':
      text = renderMarkdown(input);
      break;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  return target;
}

/** The default file name of a format, `pgreview-report.sarif`. */
export function defaultReportName(format: ReportFormat): string {
  return `pgreview-report.${EXTENSIONS[format]}`;
}

async function readRuleDocs(extensionUri: vscode.Uri): Promise<Map<string, string>> {
  const docs = new Map<string, string>();
  const decoder = new TextDecoder('utf-8');
  for (const rule of allRules) {
    try {
      docs.set(rule.id, decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, rule.docsPath))));
    } catch {
      // A rule without a shipped doc is reported by the docs test; SARIF just lacks its help text.
    }
  }
  return docs;
}
