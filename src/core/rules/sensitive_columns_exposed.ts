import { objectKey } from '../catalog/model';
import { API_ROLES, hasColumnPrivilege, isExposedSchema } from '../catalog/privileges';
import { quoteQualified } from '../sql/quoteIdent';
import { joinRoleNames } from './apiRolesWithPrivilege';
import { defineRule, type RuleReport } from './defineRule';

export default defineRule({
  id: 'sensitive_columns_exposed',
  name: 'Sensitive Columns Exposed',
  level: 'error',
  category: 'security',
  needs: 'G',
  description: 'A table without row level security in a schema the Data API exposes has columns named like credentials or personal data (password, token, ssn, iban, cvv, ...) that anon or authenticated can select.',
  check(catalog, context) {
    const reports: RuleReport[] = [];
    for (const [qualified, table] of catalog.tables) {
      if (table.platform || context.isManagedSchema(table.schema) || table.rlsEnabled || table.kind === 'foreign') continue;
      if (!isExposedSchema(catalog, table.schema)) continue;
      // SELECT on the table exposes every column; a column grant (`select (id, username)`) only the columns it names.
      const sensitive: string[] = [];
      const readers = new Set<string>();
      for (const column of table.columns.values()) {
        if (!isSensitiveColumnName(column.name)) continue;
        const roles = API_ROLES.filter((role) => hasColumnPrivilege(catalog, table, column, role, 'SELECT'));
        if (roles.length === 0) continue;
        sensitive.push(column.name);
        for (const role of roles) readers.add(role);
      }
      if (sensitive.length === 0) continue;
      reports.push({
        object: qualified,
        objectKey: objectKey.table(qualified),
        message: `Table ${qualified} has no RLS and ${joinRoleNames(API_ROLES.filter((role) => readers.has(role)))} can select its sensitive column${sensitive.length === 1 ? '' : 's'} ${sensitive.join(', ')} through the API.`,
        span: table.rlsChangedAt ?? table.origin.definedAt,
        fix: {
          title: `Enable row level security on ${qualified}`,
          sql: `alter table ${quoteQualified(table.schema, table.name)} enable row level security;\n`,
        },
      });
    }
    return reports;
  },
});

/**
 * splinter 0023's list: a column whose name, lower-cased with `-` read as `_`, is one of these is
 * reported. One name is left out: `session_id` is in application tables almost always a foreign key
 * to the app's own sessions (chat, booking or checkout sessions), not a secret; the secret forms
 * (`session_token`, `session_key`, `session_secret`) stay.
 */
const SENSITIVE_NAMES = new Set([
  // Authentication and credentials
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secret_key', 'private_key', 'api_key', 'apikey',
  'auth_key', 'token', 'jwt', 'access_token', 'refresh_token', 'oauth_token', 'session_token', 'bearer_token',
  'auth_code', 'session_key', 'session_secret', 'recovery_code', 'backup_code', 'verification_code',
  'otp', 'two_factor', '2fa_secret', '2fa_code',
  // Personal identifiers
  'ssn', 'social_security', 'social_security_number', 'driver_license', 'drivers_license', 'license_number',
  'passport_number', 'passport_id', 'national_id', 'tax_id',
  // Financial information
  'credit_card', 'card_number', 'cvv', 'cvc', 'cvn', 'bank_account', 'account_number', 'routing_number', 'iban',
  'swift_code', 'bic',
  // Health and medical
  'health_record', 'medical_record', 'patient_id', 'insurance_number', 'health_insurance', 'medical_insurance', 'treatment',
  // Device identifiers
  'mac_address', 'macaddr', 'imei', 'device_uuid',
  // Keys and certificates
  'pgp_key', 'gpg_key', 'ssh_key', 'certificate', 'license_key', 'activation_key',
  // Biometric data
  'facial_recognition',
]);

/**
 * Credential words that stay sensitive with a prefix (`stripe_secret_key`, `reset_token`,
 * `vendor_iban`) or as a stored form of a password (`password_hash`). Personal words such as
 * `treatment` or `certificate` are matched exactly only: prefixed, they too often name something
 * harmless (`treatment_name`, `certificate_url`).
 */
const SENSITIVE_SUFFIXES = ['password', 'passwd', 'secret', 'secret_key', 'private_key', 'api_key', 'token', 'iban', 'card_number', 'cvv', 'ssn'];
const PASSWORD_FORMS = new Set(['password_hash', 'password_digest', 'hashed_password', 'encrypted_password', 'password_salt']);

function isSensitiveColumnName(column: string): boolean {
  const name = column.toLowerCase().replace(/-/g, '_');
  return SENSITIVE_NAMES.has(name) || PASSWORD_FORMS.has(name) || SENSITIVE_SUFFIXES.some((suffix) => name.endsWith(`_${suffix}`));
}
