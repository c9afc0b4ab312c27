import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Graceful deploys (README, "Migrations during a deploy"): migrations run while the previous
// worker and web app still serve, so a migration may only expand the schema. Anything the
// running code could still read or write (a table, a column, its name, its type, a column that
// must now be filled) is removed or tightened one deploy later, in a statement marked
// `-- contract: <why it is safe now>` on the line above it.

const dir = path.join(process.cwd(), 'db/migrations');

type Finding = { file: string; statement: string; problem: string };

const breaking: [RegExp, string][] = [
  [/\bDROP\s+TABLE\b/i, 'drops a table'],
  [/\bDROP\s+COLUMN\b/i, 'drops a column'],
  [/\bRENAME\b/i, 'renames something the running code may use'],
  [/\bSET\s+NOT\s+NULL\b/i, 'makes a column required that the running code may leave empty'],
  [/\bALTER\s+COLUMN\s+"?\w+"?\s+(SET\s+DATA\s+)?TYPE\b/i, 'changes a column type'],
  [/\bADD\s+COLUMN\b(?![^;]*\bDEFAULT\b)[^;]*\bNOT\s+NULL\b/i, 'adds a required column without a default: inserts of the running code fail'],
];

function expandOnlyFindings(file: string, sql: string): Finding[] {
  const statements = sql.split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);
  const created = new Set([...sql.matchAll(/CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi)].map((m) => m[1]));
  const findings: Finding[] = [];
  for (const statement of statements) {
    if (/^--\s*contract:/im.test(statement)) continue;
    const code = statement.replace(/^--.*$/gm, '');
    for (const [pattern, problem] of breaking) {
      if (pattern.test(code)) findings.push({ file, statement: code.trim().slice(0, 160), problem });
    }
    // An index dropped and re-created in the same migration (one transaction) is a replacement.
    const dropped = /\bDROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?"?(\w+)"?/i.exec(code);
    if (dropped && !created.has(dropped[1])) findings.push({ file, statement: code.trim().slice(0, 160), problem: 'drops an index the running code may rely on' });
  }
  return findings;
}

describe('migrations only expand the schema (expand/contract)', () => {
  const files = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();

  it('finds the migrations', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s keeps the previous release working', (file) => {
    expect(expandOnlyFindings(file, readFileSync(path.join(dir, file), 'utf8'))).toEqual([]);
  });

  it('flags what would break the running worker, unless marked as a later contract step', () => {
    const sql = [
      'ALTER TABLE "jobs" DROP COLUMN "name";',
      'ALTER TABLE "jobs" RENAME COLUMN "url" TO "target";',
      'ALTER TABLE "jobs" ALTER COLUMN "name" SET NOT NULL;',
      'ALTER TABLE "jobs" ADD COLUMN "owner" uuid NOT NULL;',
      'ALTER TABLE "jobs" ADD COLUMN "tags2" text[] DEFAULT \'{}\' NOT NULL;',
      'ALTER TABLE "jobs" ADD COLUMN "note" text;',
      'DROP INDEX "jobs_old_idx";',
      '-- contract: nothing reads jobs.legacy since release 12\nALTER TABLE "jobs" DROP COLUMN "legacy";',
    ].join('--> statement-breakpoint\n');
    expect(expandOnlyFindings('example.sql', sql).map((f) => f.problem)).toEqual([
      'drops a column',
      'renames something the running code may use',
      'makes a column required that the running code may leave empty',
      'adds a required column without a default: inserts of the running code fail',
      'drops an index the running code may rely on',
    ]);
  });
});
