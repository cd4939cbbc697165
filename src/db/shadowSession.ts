/**
 * A shadow database that stays open: the migrations applied to PGlite (as `shadowWithPglite` does),
 * then a seed file loaded, and the instance handed to the caller. The simulator and the policy
 * tests run statements on it; the caller closes it.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { CancellationToken } from '../core/cancellation';
import { InputError } from '../core/errors';
import type { Finding } from '../core/finding';
import type { ParsedFile } from '../core/sql/parseSqlFile';
import { openAppliedPglite, type ShadowOptions } from './shadow';
import { describeError } from './shadowApply';

/** A seed file: path (for messages) and text, such as supabase/seed.sql. */
export interface SeedFile {
  path: string;
  text: string;
}

export interface ShadowSessionOptions extends ShadowOptions {
  /** Loaded after the migrations, as `supabase db reset` does. */
  seed?: SeedFile;
}

/** An open PGlite shadow with the migrations (and the seed) applied. */
export interface ShadowSession {
  db: PGlite;
  /** `migration_apply_error` findings: statements that failed on the shadow. */
  findings: Finding[];
  statementsApplied: number;
  statementsFailed: number;
  timings: { start: 'cold' | 'warm'; startMs: number; applyMs: number; seedMs: number };
  close(): Promise<void>;
}

/**
 * Opens a PGlite shadow, applies the migrations and loads the seed. A seed that fails is an
 * InputError naming the file and PostgreSQL's message: tests against half a seed would mislead.
 */
export async function openShadowSession(files: readonly ParsedFile[], options: ShadowSessionOptions, token?: CancellationToken): Promise<ShadowSession> {
  // The migrations come from the applied-state cache when they are unchanged; the seed always runs.
  const { db, start, outcome, timings, cacheWritten } = await openAppliedPglite(files, options, token);
  try {
    const { startMs, applyMs } = timings;
    const seedStarted = Date.now();
    if (options.seed) {
      try {
        await db.exec(options.seed.text);
      } catch (error) {
        const { message } = describeError(error);
        throw new InputError(`the seed file ${options.seed.path} failed on the shadow database: ${message}`, { cause: error });
      }
    }
    // The cached states were copied before the seed ran; their compression overlapped it.
    await cacheWritten;
    return {
      db,
      findings: outcome.findings,
      statementsApplied: outcome.statementsApplied,
      statementsFailed: outcome.statementsFailed,
      timings: { start, startMs, applyMs, seedMs: Date.now() - seedStarted },
      close: () => db.close(),
    };
  } catch (error) {
    await cacheWritten;
    await db.close().catch(() => undefined);
    throw error;
  }
}
