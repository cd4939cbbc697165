/**
 * Core values as LSP values: spans and offsets as ranges, findings as diagnostics. LSP positions
 * are 0-based lines and UTF-16 columns (the protocol's default encoding); spans are 1-based lines
 * and columns over the same UTF-16 code units.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { Finding, Level } from '../core/finding';
import { printableMessage } from '../core/report/printableMessage';
import { rulesById } from '../core/rules';
import type { LineIndex, SourceSpan } from '../core/sql/span';

/** The range of a span. */
export function rangeOfSpan(span: SourceSpan): Range {
  return { start: { line: span.line - 1, character: span.column - 1 }, end: { line: span.endLine - 1, character: span.endColumn - 1 } };
}

/** The range between two UTF-16 offsets of the text `lines` indexes. */
export function rangeOfOffsets(lines: LineIndex, start: number, end: number): Range {
  return rangeOfSpan(lines.span(start, end));
}

/**
 * A finding as a diagnostic: the rule id as its code, the rule's docs page as the code's link,
 * and its related places (`uriOf` turns their project-relative paths into URIs).
 */
export function diagnosticOf(finding: Finding & { span: SourceSpan }, uriOf: (path: string) => string): Diagnostic {
  const rule = rulesById.get(finding.rule);
  const diagnostic: Diagnostic = {
    range: rangeOfSpan(finding.span),
    severity: severityOf(finding.level),
    source: 'pgreview',
    code: finding.rule,
    message: printableMessage(finding.message),
  };
  if (rule) diagnostic.codeDescription = { href: rule.docsUrl };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((related) => ({ location: { uri: uriOf(related.span.file), range: rangeOfSpan(related.span) }, message: printableMessage(related.message) }));
  }
  return diagnostic;
}

/** True when two ranges are the same. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** True when two ranges share a position (touching counts: a cursor at a range's end is on it). */
export function rangesTouch(a: Range, b: Range): boolean {
  return !isBefore(a.end, b.start) && !isBefore(b.end, a.start);
}

function isBefore(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function severityOf(level: Level): DiagnosticSeverity {
  switch (level) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
  }
}
