import type { Finding, Level } from '../finding';
import { printableMessage } from './printableMessage';
import type { ReportInput } from './summarizeReport';

/** One issue of GitLab's Code Quality report (the `codequality` artifact of a CI job). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  /** Stable across runs while the finding is the same, so GitLab can tell new findings from old. */
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number; end: number } };
}

const SEVERITY: Record<Level, CodeQualityIssue['severity']> = { error: 'critical', warning: 'major', info: 'info' };

/**
 * The report as GitLab Code Quality JSON (`--format codequality`). A finding on an object no file
 * defines (a database finding) is placed on the project folder, line 1, so that none is lost.
 */
export function renderCodeQuality(report: ReportInput, displayPath: (file: string) => string = (file) => file): string {
  const issues = report.findings.map((finding): CodeQualityIssue => {
    const path = finding.span ? displayPath(finding.span.file) : displayPath('.');
    return {
      description: printableMessage(finding.message),
      check_name: finding.rule,
      fingerprint: fingerprintOf(finding, path),
      severity: SEVERITY[finding.level],
      location: { path, lines: { begin: finding.span?.line ?? 1, end: finding.span?.endLine ?? 1 } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}

/**
 * FNV-1a (64 bits) of the finding's key (rule and object) and file: the same finding keeps its
 * fingerprint when lines move above it, as GitLab expects.
 */
function fingerprintOf(finding: Finding, path: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const char of `${finding.key}\0${path}`) {
    hash ^= BigInt(char.codePointAt(0)!);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
