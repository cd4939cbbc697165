import { objectKey } from '../catalog/model';
import { quoteIdent } from '../sql/quoteIdent';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'extension_versions_outdated',
  name: 'Extension Versions Outdated',
  level: 'warning',
  category: 'security',
  needs: 'L',
  description: 'An installed extension is older than the default version the server offers, so it misses the fixes (security fixes among them) of the newer one.',
  check(catalog) {
    const reports: RuleReport[] = [];
    // Managed schemas are not skipped: an outdated extension in `extensions` is still outdated,
    // and `alter extension ... update` is the user's to run (splinter 0022 looks at every extension).
    for (const extension of catalog.extensions.values()) {
      if (!extension.version || !extension.defaultVersion || extension.version === extension.defaultVersion) continue;
      reports.push({
        object: extension.name,
        objectKey: objectKey.extension(extension.name),
        message: `Extension ${extension.name} is at version ${extension.version}; the server offers ${extension.defaultVersion}.`,
        span: extension.origin.definedAt,
        fix: {
          title: `Update ${extension.name} to ${extension.defaultVersion}`,
          sql: `alter extension ${quoteIdent(extension.name)} update;\n`,
        },
      });
    }
    return reports;
  },
});
