import type { Database, Db } from '../db/database.ts';
import { CATALOGUE_CHANNEL, catalogueChanges } from '../catalogue/changes.ts';
import { setting } from '../config.ts';
import { Recommender } from './recommender.ts';
import { loadSituationModel } from './situations/model.ts';

/**
 * The recommender of a running server: it builds its index from the database on start, and catches
 * up before answering after any server changed the catalogue (this process's own changes are told
 * in-process; other servers' are heard through the database, see `listen`), and every 30 s in the
 * background, which costs one row when nothing changed.
 */
export class RecommenderService {
  /** With the operator's extension of the situation model where AURORA_SITUATIONS_FILE names one. */
  readonly recommender = recommenderWithSituations();
  #dirty = true;
  #syncing: Promise<unknown> | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onChange = () => {
    this.#dirty = true;
  };

  constructor(private readonly db: Db, private readonly intervalMs = 30_000) {
    catalogueChanges.on('changed', this.#onChange);
  }

  start() {
    this.#timer = setInterval(() => void this.sync().catch(() => {}), this.intervalMs);
    this.#timer.unref();
    // Made now, before the server answers anyone, not by the first question about words (nor its
    // spelling tolerance by the first misspelt one).
    this.recommender.situations.prepareSpellingTolerance();
    return this.ready();
  }

  /**
   * Hears every server's catalogue changes: the next answer catches up first. While the listening
   * connection is down, changes may pass unheard, so its coming back counts as a change, and the
   * periodic sync still catches up in between. Answers the function that stops listening.
   */
  listen(database: Database, onError?: (error: unknown) => void): Promise<() => Promise<void>> {
    return database.listen(CATALOGUE_CHANNEL, { notify: this.#onChange, live: (up) => up && this.#onChange() }, onError ? { onError } : {});
  }

  /** Resolves once the index reflects every change this process made or heard of. */
  async ready(): Promise<Recommender> {
    if (this.#dirty) await this.sync();
    return this.recommender;
  }

  sync() {
    // One sync at a time; a change during it marks the index dirty again.
    this.#syncing ??= (async () => {
      this.#dirty = false;
      try {
        return await this.recommender.sync(this.db);
      } catch (error) {
        this.#dirty = true;
        throw error;
      } finally {
        this.#syncing = undefined;
      }
    })();
    return this.#syncing;
  }

  stop() {
    if (this.#timer) clearInterval(this.#timer);
    catalogueChanges.off('changed', this.#onChange);
  }
}

function recommenderWithSituations() {
  const extension = setting('AURORA_SITUATIONS_FILE');
  return extension ? new Recommender({ situations: loadSituationModel({ extraFiles: [extension] }) }) : new Recommender();
}
