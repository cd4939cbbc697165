import { functionSignature } from '../catalog/functionSignature';
import { objectKey } from '../catalog/model';
import { hasGrantedPrivilege } from '../catalog/privileges';
import { defineRule, type RuleReport } from './defineRule';
import { listExposedSecurityDefinerFunctions } from './listExposedSecurityDefinerFunctions';

export default defineRule({
  id: 'anon_security_definer_function_executable',
  name: 'Anon Security Definer Function Executable',
  level: 'warning',
  category: 'security',
  needs: 'G',
  description: 'A SECURITY DEFINER function in an exposed schema can be executed by anon, so anyone holding the public API key runs it with the rights of its owner (postgres on Supabase, which bypasses RLS).',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const fn of listExposedSecurityDefinerFunctions(catalog, context)) {
      if (!hasGrantedPrivilege(catalog, fn.grants, 'anon', 'EXECUTE')) continue;
      const throughPublic = fn.grants.get('PUBLIC')?.has('EXECUTE') ?? false;
      const signature = functionSignature(fn);
      reports.push({
        object: fn.key,
        objectKey: objectKey.function(fn.key),
        message: `SECURITY DEFINER function ${fn.key} can be executed by anon from the API.`,
        span: fn.origin.definedAt ?? fn.origin.changedAt,
        fix: {
          title: `Revoke EXECUTE on ${fn.key} from anon${throughPublic ? ' and PUBLIC' : ''}`,
          // Revoking from anon alone changes nothing while PUBLIC, which every role belongs to, keeps it.
          sql: `revoke execute on function ${signature} from anon;\n${throughPublic ? `revoke execute on function ${signature} from public;\n` : ''}`,
        },
      });
    }
    return reports;
  },
});
