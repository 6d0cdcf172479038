import type { Db } from '../db/database.ts';
import { catalogueChanges } from '../catalogue/changes.ts';
import { setting } from '../config.ts';
import { Recommender } from './recommender.ts';
import { loadSituationModel } from './situations/model.ts';

/**
 * The recommender of a running server: it builds its index from the database on start, catches up
 * before answering after this process changed the catalogue, and every 30 s in the background for
 * changes made by other processes.
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
    return this.ready();
  }

  /** Resolves once the index reflects every change this process made. */
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
