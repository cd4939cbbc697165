/**
 * Markdown that describes catalog objects to a person hovering a name: a table's columns, RLS,
 * policies and indexes, a function's signature and security settings, a policy's rule. Every
 * editor shows these same strings (VS Code's hover, the language server's), so they are built here.
 */
import type { Func, Policy, Table } from '../catalog/model';

/** Markdown for a table, after a note in italics (which state of the table it is). */
export function describeTable(qualified: string, table: Table, note?: string): string {
  const parts: string[] = [];
  if (note) parts.push(`*${escapeMarkdown(note)}*\n\n`);
  const rls = table.rlsEnabled ? `RLS on${table.rlsForced ? ' (forced)' : ''}` : 'RLS **off**';
  parts.push(`**${escapeMarkdown(qualified)}** · ${rls} · ${table.policies.size} ${table.policies.size === 1 ? 'policy' : 'policies'}\n\n`);
  if (table.columns.size > 0) {
    parts.push('| column | type | |\n|---|---|---|\n');
    for (const column of table.columns.values()) {
      parts.push(`| ${escapeMarkdown(column.name)} | ${escapeMarkdown(column.type)} | ${column.notNull ? 'not null' : ''} |\n`);
    }
    parts.push('\n');
  }
  if (table.policies.size > 0) {
    parts.push('**Policies**\n\n');
    for (const policy of table.policies.values()) parts.push(`- ${escapeMarkdown(policy.name)}: ${policySummary(policy)}\n`);
    parts.push('\n');
  }
  if (table.indexes.size > 0) {
    parts.push('**Indexes**\n\n');
    for (const index of table.indexes.values()) {
      parts.push(`- ${escapeMarkdown(index.name)} (${escapeMarkdown(index.keys.map((key) => key.column ?? key.expression?.text ?? '?').join(', '))})\n`);
    }
  }
  return parts.join('');
}

/** Markdown for the functions of one name (each overload): signature, result and the settings that matter for security. */
export function describeFunctions(functions: readonly Func[], note?: string): string {
  const parts: string[] = [];
  if (note) parts.push(`*${escapeMarkdown(note)}*\n\n`);
  for (const func of functions) {
    const searchPath = func.config.get('search_path');
    const traits = [
      escapeMarkdown(func.kind),
      func.returns ? `returns ${escapeMarkdown(func.returns)}` : undefined,
      `language ${escapeMarkdown(func.language)}`,
      func.volatility,
      func.securityDefiner ? '**security definer**' : undefined,
      searchPath !== undefined ? `search\\_path ${escapeMarkdown(searchPath || "''")}` : undefined,
    ];
    parts.push(`**${escapeMarkdown(func.key)}** · ${traits.filter((trait) => trait !== undefined).join(' · ')}\n\n`);
  }
  return parts.join('');
}

/** Markdown for the policies of one name (a name may be reused on several tables): table, command, roles and expressions. */
export function describePolicies(policies: readonly Policy[], note?: string): string {
  const parts: string[] = [];
  if (note) parts.push(`*${escapeMarkdown(note)}*\n\n`);
  for (const policy of policies) {
    const kind = policy.permissive ? 'permissive' : '**restrictive**';
    parts.push(`**${escapeMarkdown(policy.name)}** on ${escapeMarkdown(policy.table)} · ${kind} · ${policySummary(policy)}`);
    if (policy.withCheck) parts.push(` with check \`${policy.withCheck.text}\``);
    parts.push('\n\n');
  }
  return parts.join('');
}

/** `select to authenticated using (...)`: what a policy allows, on one line. */
function policySummary(policy: Policy): string {
  return `${policy.command} to ${escapeMarkdown(policy.roles.join(', '))}${policy.using ? ` using \`${policy.using.text}\`` : ''}`;
}

/** Text shown as itself in Markdown: every character Markdown reads as syntax is escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
