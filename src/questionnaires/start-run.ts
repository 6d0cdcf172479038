import { createHash, randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { audit } from '../audit/audit.ts';
import { ARGON2_OPTIONS } from '../staff/passwords.ts';
import type { Db } from '../db/database.ts';
import { badRequest, conflict } from '../http/problem.ts';
import { LONGEST_RUN_DAYS, RUNS_PER_QUESTIONNAIRE } from './limits.ts';
import type { RunInput } from './schemas.ts';
import { ownQuestionnaire, ownRun, readVersion, runView } from './store.ts';

/** A link key's hash as kept: the key has 192 random bits, so one fast hash is enough. */
export const linkKeyHash = (key: string) => createHash('sha256').update(`aurora-questionnaire-link:${key}`).digest('base64url');

/** Letters and digits that are not mistaken for one another when read off a board (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

/** A code no run has: 31⁶ ≈ 890 million, so a taken one is rare; the unique index is the last word. */
async function unusedCode(db: Db): Promise<string> {
  for (;;) {
    const code = Array.from(randomBytes(CODE_LENGTH), (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
    if (!(await db.selectFrom('questionnaire_runs').select('id').where('code', '=', code).executeTakeFirst())) return code;
  }
}

/**
 * A published version run for a group or for anyone, in a window. A link run's key is made here
 * and shown this once; a PIN run's PIN is the organiser's, kept as an argon2id hash (a PIN is
 * short, so a slow hash makes a stolen copy of the database costly to search).
 */
export async function startRun(db: Db, memberId: string, questionnaireId: string, input: RunInput, actor: string) {
  await ownQuestionnaire(db, memberId, questionnaireId);
  await readVersion(db, questionnaireId, input.version);
  const opens = new Date(input.opens_at);
  const closes = new Date(input.closes_at);
  const errors: { field: string; message: string }[] = [];
  if (!(closes > opens)) errors.push({ field: 'closes_at', message: 'is after opens_at' });
  else if (closes.getTime() - opens.getTime() > LONGEST_RUN_DAYS * 86_400_000) errors.push({ field: 'closes_at', message: `is at most ${LONGEST_RUN_DAYS} days after opens_at` });
  if (closes.getTime() <= Date.now()) errors.push({ field: 'closes_at', message: 'is in the future' });
  if ((input.access === 'pin') !== (input.pin !== undefined)) errors.push({ field: 'pin', message: 'is given with access pin, and only then' });
  if (errors.length > 0) throw badRequest(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);

  const linkKey = input.access === 'link' ? randomBytes(24).toString('base64url') : undefined;
  const secretHash = input.access === 'pin' ? await argon2.hash(input.pin!, ARGON2_OPTIONS) : linkKey ? linkKeyHash(linkKey) : null;
  const id = randomUUID();
  const code = input.access === 'pin' ? await unusedCode(db) : null;
  await db.transaction().execute(async (tx) => {
    await tx.selectFrom('questionnaires').select('id').where('id', '=', questionnaireId).forUpdate().executeTakeFirstOrThrow();
    const { count } = await tx.selectFrom('questionnaire_runs').select((eb) => eb.fn.countAll<number>().as('count')).where('questionnaire_id', '=', questionnaireId).executeTakeFirstOrThrow();
    if (Number(count) >= RUNS_PER_QUESTIONNAIRE) throw conflict('too-many-runs', 'Too many runs', `a questionnaire has at most ${RUNS_PER_QUESTIONNAIRE} runs`);
    await tx
      .insertInto('questionnaire_runs')
      .values({ id, questionnaire_id: questionnaireId, version: input.version, member_id: memberId, name: input.name, access: input.access, secret_hash: secretHash, opens_at: opens, closes_at: closes, profile_saving: input.profile_saving ?? false, code })
      .execute();
    await audit(tx, { actor, action: 'questionnaire-run.start', target: id, memberId, details: { questionnaire: questionnaireId, version: input.version, access: input.access } });
  });
  return { ...runView(await ownRun(db, memberId, questionnaireId, id)), ...(linkKey ? { link_key: linkKey } : {}) };
}
