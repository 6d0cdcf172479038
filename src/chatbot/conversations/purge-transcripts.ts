import type { Db } from '../../db/database.ts';

/** Conversations past their bot's retention, with their messages, deleted in batches (the retention job calls it). */
export async function purgeTranscripts(db: Db, now = new Date(), batch = 1000): Promise<number> {
  let purged = 0;
  for (;;) {
    const result = await db
      .deleteFrom('chatbot_conversations')
      .where('id', 'in', (eb) => eb.selectFrom('chatbot_conversations').select('id').where('expires_at', '<', now).limit(batch))
      .executeTakeFirst();
    const n = Number(result.numDeletedRows ?? 0n);
    purged += n;
    if (n < batch) return purged;
  }
}
