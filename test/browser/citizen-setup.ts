import type { ChannelRecord } from '../../src/catalogue/model.ts';
import { upsertChannels } from '../../src/catalogue/store.ts';
import { enableTransfer } from '../../src/transfers/transfers.ts';
import { createClient } from '../../src/clients/clients.ts';
import { basicAuth } from '../../src/testing/app.ts';
import type { Network } from './harness.ts';

/**
 * A receiving service for the citizen app's tests, made through the network's own functions: the
 * demo service "Nettilukio aikuisille" (Etälukio) gets its e-service and a phone channel in full,
 * and two of its channels receive transfers as one test API client — its e-service by a link and
 * its Otava service location (in the demo, with coordinates) by a short code.
 */
export const SERVICE_ID = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42';
export const WEB_CHANNEL = '16afd0e8-f069-4ded-9967-f220107494db';
export const PLACE_CHANNEL = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';
export const PHONE_CHANNEL = '5b1f0c3e-7d0a-4a53-9c1e-2f6a8b7c9d10';
export const LANDING = 'http://localhost:9/nettilukio/aloita';

const text = (fi: string, sv: string, en: string) => ({ fi, sv, en });
function channel(id: string, type: ChannelRecord['type'], patch: Partial<ChannelRecord>): ChannelRecord {
  return {
    id,
    source: 'test',
    sourceId: null,
    type,
    organizationId: null,
    name: {},
    summary: {},
    description: {},
    languages: ['fi'],
    areaType: 'Nationwide',
    areas: [],
    webPages: [],
    phones: [],
    emails: [],
    addresses: [],
    serviceHours: [],
    services: [{ serviceId: SERVICE_ID, description: {} }],
    publishingStatus: 'Published',
    modified: null,
    ...patch,
  };
}

export interface ReceivingService {
  authorization: string;
  clientId: string;
}

export async function setUpReceivingService(network: Network): Promise<ReceivingService> {
  const db = network.database.db;
  await upsertChannels(db, [
    channel(WEB_CHANNEL, 'EChannel', {
      name: text('Nettilukion hakulomake', 'Ansökan till nätgymnasiet', 'Online upper secondary school application'),
      summary: text('Hae opiskelijaksi verkossa.', 'Ansök som studerande på nätet.', 'Apply as a student online.'),
      webPages: [{ url: 'https://www.nettilukio.fi/hakeminen', name: 'Nettilukio – hakeminen', language: 'fi' }],
    }),
    channel(PHONE_CHANNEL, 'Phone', {
      name: text('Opintoneuvonta puhelimessa', 'Studierådgivning per telefon', 'Study advice by phone'),
      phones: [
        { type: 'Phone', number: '291234567', prefix: '+358', language: 'fi', chargeType: 'Chargeable', chargeDescription: null, additionalInformation: 'Opintoneuvonta' },
      ],
      serviceHours: [
        { type: 'DaysOfTheWeek', validFrom: null, validTo: null, isClosed: false, isAlwaysOpen: false, isReservation: false, additionalInformation: {}, openingHours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '09:00:00', to: '15:00:00' }] },
      ],
    }),
  ]);
  const client = await createClient(db, 'Nettilukio (test)', ['transfer:receive']);
  await enableTransfer(db, { channelId: WEB_CHANNEL, url: LANDING, accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: client.client_id });
  await enableTransfer(db, { channelId: PLACE_CHANNEL, url: 'https://www.otavia.fi/asiointi', accepts: ['municipality_code', 'life_situation_meters'], clientId: client.client_id });
  return { authorization: basicAuth(client.client_id, client.client_secret), clientId: client.client_id };
}
