import { functionSignature } from '../catalog/functionSignature';
import { objectKey } from '../catalog/model';
import { hasGrantedPrivilege } from '../catalog/privileges';
import { defineRule, type RuleReport } from './defineRule';
import { listExposedSecurityDefinerFunctions } from './listExposedSecurityDefinerFunctions';

export default defineRule({
  id: 'authenticated_security_definer_function_executable',
  name: 'Authenticated Security Definer Function Executable',
  level: 'warning',
  category: 'security',
  needs: 'G',
  description: 'A SECURITY DEFINER function in an exposed schema can be executed by authenticated, so every signed-in user runs it with the rights of its owner (postgres on Supabase, which bypasses RLS).',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const fn of listExposedSecurityDefinerFunctions(catalog, context)) {
      if (!hasGrantedPrivilege(catalog, fn.grants, 'authenticated', 'EXECUTE')) continue;
      const throughPublic = fn.grants.get('PUBLIC')?.has('EXECUTE') ?? false;
      const signature = functionSignature(fn);
      reports.push({
        object: fn.key,
        objectKey: objectKey.function(fn.key),
        message: `SECURITY DEFINER function ${fn.key} can be executed by authenticated from the API.`,
        span: fn.origin.definedAt ?? fn.origin.changedAt,
        // Not a fix: a function written for signed-in users (one that reads auth.uid()) is meant to
        // be called by authenticated, and revoking would break the app. A person has to choose.
        suggestions: [
          {
            title: `Revoke EXECUTE on ${fn.key} from authenticated${throughPublic ? ' and PUBLIC' : ''}`,
            // Revoking from authenticated alone changes nothing while PUBLIC, which every role belongs to, keeps it.
            sql: `revoke execute on function ${signature} from authenticated;\n${throughPublic ? `revoke execute on function ${signature} from public;\n` : ''}`,
          },
        ],
      });
    }
    return reports;
  },
});
