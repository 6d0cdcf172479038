import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { createNetworkAdmin } from '../../staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../testing/console.ts';
import { createTestDatabase, type Backend } from '../../testing/databases.ts';
import { youthCardPack } from '../testing.ts';

/**
 * For the whisperer's tests: a server on a new database, the network administrator, and two
 * approved members whose organisation administrators are logged in; a pack with one intent and a
 * form in fi, sv and en, its transcript test expecting `expected` after the first answer.
 */
export interface WhispererWorld {
  database: Database;
  app: FastifyInstance;
  admin: ConsoleUser;
  owner: { memberId: string; user: ConsoleUser };
  other: { memberId: string; user: ConsoleUser };
  path(memberId: string, rest?: string): string;
  /** A person's request to the public conversation API. */
  person(url: string, payload: object): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let serial = 0;
export async function whispererWorld(backend: Backend): Promise<WhispererWorld> {
  const n = `${process.pid}-${serial++}`;
  const database = await createTestDatabase(backend);
  const app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
  const email = `whisperer-admin-${n}@aurora.example`;
  await createNetworkAdmin(database.db, { email, name: 'Ylläpitäjä', password: 'verkoston-salasana-1' }, 'test');
  const admin = await new ConsoleUser(app).loginOk(email, 'verkoston-salasana-1');
  const owner = await approvedMember(admin, { name: 'Nuorisopalvelut', email: `owner-${n}@nuoriso.example`, password: 'hyvin-pitka-salasana' });
  const other = await approvedMember(admin, { name: 'Naapurikunta', email: `other-${n}@naapuri.example`, password: 'hyvin-pitka-salasana' });
  return {
    database,
    app,
    admin,
    owner,
    other,
    path: (memberId, rest = '') => `/api/v1/console/members/${memberId}/bots${rest}`,
    person: (url, payload) => app.inject({ method: 'POST', url, payload, remoteAddress: '10.9.1.1' }),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export const youthPack = (expected = 'nuorisotalolta') =>
  youthCardPack({
    tests: [
      { name: 'youth card fi', language: 'fi', transcript: `#me\nmiten saan nuorisokortin\n#bot\n${expected}` },
      { name: 'youth card sv', language: 'sv', transcript: '#me hur får jag ungdomskort\n#bot intent:youth-card' },
    ],
  });
