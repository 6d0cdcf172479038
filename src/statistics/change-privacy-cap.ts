import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import { privacySettings, setPrivacyBudget, type PrivacySettings } from './budget.ts';

/** A network administrator sets a member's epsilon cap per week (null: the network's default), audited with the previous cap. */
export async function changePrivacyCap(db: Db, memberId: string, cap: number | null, actor: string): Promise<PrivacySettings> {
  return db.transaction().execute(async (tx) => {
    const before = await privacySettings(tx, memberId);
    try {
      await setPrivacyBudget(tx, memberId, cap);
    } catch (error) {
      if (error instanceof RangeError) throw badRequest(error.message, [{ field: 'epsilon_cap_per_week', message: error.message }]);
      throw error;
    }
    await audit(tx, { actor, action: 'member.privacy.set', target: memberId, memberId, details: { epsilon_cap_per_week: cap, previous: before.default ? null : before.epsilon_cap_per_week } });
    return privacySettings(tx, memberId);
  });
}
