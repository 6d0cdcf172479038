/**
 * The expand/contract rule for migrations (docs/operations.md, "Rolling upgrades"): during a
 * deploy, servers of the previous release run on the database a new release has migrated, so a
 * migration's `up` only adds (tables, nullable columns or ones with defaults, indexes, functions
 * under new names). What an old server still reads or writes is removed or changed in a later
 * release, once no server of the previous one runs: a contract migration, which says so with a
 * line `// contract: <why the previous release no longer needs it>`.
 */

/** Migrations named from this date on are held to the rule (the ones before shipped without it). */
export const EXPAND_CONTRACT_FROM = '2026-12-05';

const CONTRACTING: { pattern: RegExp; what: string }[] = [
  { pattern: /\bdrop\s+(table|column|view|materialized\s+view|function|procedure|trigger|type|schema)\b/i, what: 'drops what the previous release may use' },
  { pattern: /\brename\b/i, what: 'renames what the previous release names' },
  { pattern: /\balter\s+column\s+\S+\s+(set\s+data\s+)?type\b/i, what: "changes a column's type" },
  { pattern: /\bset\s+not\s+null\b/i, what: "makes a column the previous release may leave empty required" },
  { pattern: /\badd\s+column\s+(if\s+not\s+exists\s+)?\S+\s+[^,;`]*\bnot\s+null\b(?![^,;`]*\bdefault\b)/i, what: 'adds a required column without a default, which the previous release does not write' },
];

/**
 * What in a migration's source breaks a server of the previous release: the statements of its
 * `up` (its `down` is for undoing it by hand), unless the file declares itself a contract migration.
 */
export function contractingChanges(source: string): string[] {
  if (/^[ \t]*\/\/[ \t]*contract:[ \t]*\S/m.test(source)) return [];
  const start = source.search(/export\s+(async\s+)?function\s+up\b/);
  if (start < 0) return [];
  const end = source.slice(start).search(/export\s+(async\s+)?function\s+down\b/);
  const up = end < 0 ? source.slice(start) : source.slice(start, start + end);
  // Comments say why; only code counts.
  const code = up.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return CONTRACTING.filter(({ pattern }) => pattern.test(code)).map(({ what }) => what);
}
