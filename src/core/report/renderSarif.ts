/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, the SARIF viewer extension).
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import type { Finding, Level } from '../finding';
import type { Rule } from '../rules/defineRule';
import type { DisplayPath, ReportInput } from './summarizeReport';
import { printableMessage } from './printableMessage';

export const SARIF_SCHEMA_URL = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /** Every rule the run knows; each becomes a `reportingDescriptor` in `tool.driver.rules`. */
  rules: readonly Rule[];
  /** Rule id → the Markdown of its doc (docs/rules/<id>.md). Passed in, because core reads no files. */
  docs?: ReadonlyMap<string, string>;
  /** pgreview's version, for `tool.driver.version`. */
  toolVersion: string;
  /**
   * How artifact URIs are written. Code scanning resolves them against the repository root, so
   * the CLI passes paths relative to the working directory; the default keeps them project-relative.
   */
  displayPath?: DisplayPath;
}

/** SARIF levels: `info` is SARIF's `note`. */
const SARIF_LEVEL: Record<Level, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** Builds the SARIF log as a value. */
export function buildSarifLog(report: ReportInput, options: SarifOptions): SarifLog {
  const displayPath = options.displayPath ?? ((file: string) => file);
  const ruleIndex = new Map(options.rules.map((rule, index) => [rule.id, index]));
  const rules = options.rules.map((rule) => describeRule(rule, options.docs?.get(rule.id)));
  const results = report.findings.map((finding) => describeResult(finding, ruleIndex.get(finding.rule), displayPath));
  return {
    $schema: SARIF_SCHEMA_URL,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pgreview', version: options.toolVersion, informationUri: 'https://github.com/pgreview/pgreview', rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** The SARIF log as text, ending with a newline. */
export function renderSarif(report: ReportInput, options: SarifOptions): string {
  return `${JSON.stringify(buildSarifLog(report, options), null, 2)}\n`;
}

function describeRule(rule: Rule, doc: string | undefined): SarifRule {
  return {
    id: rule.id,
    name: toPascalCase(rule.id),
    shortDescription: { text: rule.name },
    fullDescription: { text: rule.description },
    helpUri: rule.docsUrl,
    help: { text: doc ?? `${rule.description}\n\nDocumentation: ${rule.docsUrl}`, markdown: doc ?? `${rule.description}\n\n[Documentation](${rule.docsUrl})` },
    defaultConfiguration: { level: SARIF_LEVEL[rule.level] },
    properties: { category: rule.category, tags: [rule.category] },
  };
}

function describeResult(finding: Finding, ruleIndex: number | undefined, displayPath: DisplayPath): SarifResult {
  const result: SarifResult = {
    ruleId: finding.rule,
    level: SARIF_LEVEL[finding.level],
    message: { text: printableMessage(finding.message) },
    locations: [],
    partialFingerprints: { 'pgreviewKey/v1': finding.key },
    properties: { object: finding.object, category: finding.category },
  };
  if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
  const span = finding.span;
  const logicalLocations = [{ fullyQualifiedName: finding.object, kind: finding.objectKey.split(':')[0] }];
  if (span) {
    result.locations.push({
      physicalLocation: {
        artifactLocation: { uri: encodeUri(displayPath(span.file)) },
        region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
      },
      logicalLocations,
    });
  } else {
    result.locations.push({ logicalLocations });
  }
  if (finding.fix) {
    result.properties.fixSql = finding.fix.sql;
    const edit = finding.fix.edit;
    if (edit) {
      result.fixes = [
        {
          description: { text: finding.fix.title },
          artifactChanges: [
            {
              artifactLocation: { uri: encodeUri(displayPath(edit.file)) },
              replacements: [{ deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start }, insertedContent: { text: edit.text } }],
            },
          ],
        },
      ];
    }
  }
  return result;
}

/** A relative path as a URI reference: each segment percent-encoded, the slashes kept. */
function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function toPascalCase(id: string): string {
  return id.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

/** The part of SARIF 2.1.0 pgreview writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { category: string; tags: string[] };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: {
    physicalLocation?: {
      artifactLocation: { uri: string };
      region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
    };
    logicalLocations: { fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: { object: string; category: string; fixSql?: string };
  fixes?: {
    description: { text: string };
    artifactChanges: {
      artifactLocation: { uri: string };
      replacements: { deletedRegion: { charOffset: number; charLength: number }; insertedContent: { text: string } }[];
    }[];
  }[];
}
