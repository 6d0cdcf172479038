import type Provider from 'oidc-provider';
import { sectorOfClient } from '../identity/accounts/attributes-for-service.ts';
import { pairwiseSubject } from '../identity/accounts/identity-keys.ts';

/** How the worker names a person to a service: the pairwise subject that service's logins give them, never the account id. */
export type SubjectOf = (clientId: string, accountId: string) => Promise<string | undefined>;

export const pairwiseSubjects =
  (provider: Provider, subjectKey: Buffer): SubjectOf =>
  async (clientId, accountId) => {
    const client = await provider.Client.find(clientId);
    return client ? pairwiseSubject(subjectKey, sectorOfClient(client), accountId) : undefined;
  };
