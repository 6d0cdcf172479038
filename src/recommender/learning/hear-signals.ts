import type { Database } from '../../db/database.ts';
import type { Learning } from './learning.ts';

/** The channel the database notifies on when signals are stored (recommender/migrations/2026-12-04-05-signals-notify.ts). */
export const LEARNING_CHANNEL = 'aurora_learning';

/**
 * Keeps a server's learning in step with every server's signals: on each notification it catches
 * up from the database (one catch-up at a time; notifications during one start one more after it),
 * and when the listening connection comes back, since signals may have passed unheard while it was
 * down. Answers the function that stops listening.
 */
export async function hearSignals(database: Database, learning: Learning, onError: (error: unknown) => void): Promise<() => Promise<void>> {
  let running: Promise<void> | undefined;
  let again = false;
  const catchUp = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await learning.catchUp(database.db);
        } catch (error) {
          onError(error);
        }
      } while (again);
      running = undefined;
    })();
  };
  const unlisten = await database.listen(LEARNING_CHANNEL, { notify: catchUp, live: (up) => up && catchUp() }, { onError });
  return async () => {
    await unlisten();
    await running;
  };
}
