/**
 * Catalogs as of a migration file: the schema once that file's statements ran, for the hover in
 * an older migration. Built lazily with `replayCatalogThrough`, a few at a time, each replayed
 * from the nearest earlier state at hand: one kept here, the Analyzer's checkpoint (before the
 * file last edited, handed in by the front end that owns the Analyzer), or the platform baseline. A kept catalog outlives the snapshot
 * it was built for while the files up to it are the same parses (the Analyzer reuses the parse of
 * an unchanged file) under the same config: typing in a later migration keeps it.
 */
import { replayCatalogThrough, type Analysis, type CatalogAfterFiles } from '../analyze';
import type { CancellationToken } from '../cancellation';
import type { ResolvedConfig } from '../config';
import type { ParsedFile } from '../sql/parseSqlFile';
import type { Catalog } from './model';

/** One finished analysis and the configuration it ran with: what a front end keeps as its current state. */
export interface AnalysisState {
  analysis: Analysis;
  config: ResolvedConfig;
}

/** How many catalogs are kept per snapshot; hovers go back and forth between a few files. */
const KEPT = 4;

/** A catalog kept, with the files and config it is a state of. */
interface KeptCatalog extends CatalogAfterFiles {
  files: readonly ParsedFile[];
  configKey: string;
}

/** Catalogs as of each migration file of the current analysis, kept a few at a time. */
export class CatalogsAsOf {
  private snapshot: AnalysisState | undefined;
  private configKey = '';
  /** Least recently used first. */
  private kept: KeptCatalog[] = [];
  /** Answers of `droppedAfter`, by file index and object key. */
  private readonly drops = new Map<string, number | undefined>();

  /** `checkpointFor` gives the Analyzer's kept catalog when it is a state of the snapshot's files. */
  constructor(private readonly checkpointFor: (snapshot: AnalysisState) => CatalogAfterFiles | undefined) {}

  /**
   * The catalog once the migrations up to file `index` of the snapshot (`analysis.files`) ran;
   * the snapshot's own catalog when no later file has a statement.
   */
  after(snapshot: AnalysisState, index: number, token?: CancellationToken): Catalog {
    this.use(snapshot);
    const count = index + 1;
    if (count > lastStatementFile(snapshot)) return snapshot.analysis.catalog;
    const at = this.kept.findIndex((candidate) => candidate.count === count);
    if (at >= 0) {
      const [found] = this.kept.splice(at, 1);
      this.kept.push(found);
      return found.catalog;
    }
    const result = replayCatalogThrough(snapshot.analysis.files, snapshot.config, count, this.nearestBefore(snapshot, count), undefined, token);
    this.kept.push({ ...result, files: snapshot.analysis.files, configKey: this.configKey });
    if (this.kept.length > KEPT) this.kept.shift();
    return result.catalog;
  }

  /**
   * The index of the first file after `index` once which `exists` no longer holds (an object
   * dropped or renamed), replaying from the catalog as of `index`; undefined when it still holds
   * at the end. Asked for objects the snapshot's catalog lacks, so rarely; answers are kept.
   */
  droppedAfter(snapshot: AnalysisState, index: number, key: string, exists: (catalog: Catalog) => boolean, token?: CancellationToken): number | undefined {
    this.use(snapshot);
    const cacheKey = `${index}\u0000${key}`;
    if (this.drops.has(cacheKey)) return this.drops.get(cacheKey);
    const from = { count: index + 1, catalog: this.after(snapshot, index, token) };
    let gone: number | undefined;
    replayCatalogThrough(snapshot.analysis.files, snapshot.config, snapshot.analysis.files.length, from, (replayed, catalog) => {
      if (exists(catalog)) return false;
      gone = replayed;
      return true;
    }, token);
    this.drops.set(cacheKey, gone);
    return gone;
  }

  /** Moves to a newer snapshot: keeps the catalogs that are states of its files too. */
  private use(snapshot: AnalysisState): void {
    if (snapshot === this.snapshot) return;
    this.snapshot = snapshot;
    this.configKey = JSON.stringify(snapshot.config);
    const files = snapshot.analysis.files;
    this.kept = this.kept.filter((kept) => kept.configKey === this.configKey && kept.count <= files.length && files.slice(0, kept.count).every((file, index) => file === kept.files[index]));
    this.drops.clear();
  }

  private nearestBefore(snapshot: AnalysisState, count: number): CatalogAfterFiles | undefined {
    let best: CatalogAfterFiles | undefined;
    for (const candidate of [...this.kept, this.checkpointFor(snapshot)]) {
      if (candidate && candidate.count <= count && (!best || candidate.count > best.count)) best = candidate;
    }
    return best;
  }
}

/** How many files it takes to reach the last one with a statement. */
function lastStatementFile(snapshot: AnalysisState): number {
  const files = snapshot.analysis.files;
  let count = files.length;
  while (count > 0 && files[count - 1].statements.length === 0) count--;
  return count;
}
