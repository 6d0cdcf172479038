import { isDeepStrictEqual } from 'node:util';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { ensureDemoMember } from '../members/demo-member.ts';
import type { Recommender } from '../recommender/recommender.ts';
import { checkPack, type Pack } from '../chatbot/pack.ts';
import { publishVersion } from '../chatbot/publish-version.ts';
import { SHARED_DIALOGUE_IDS } from '../chatbot/shared-bank.ts';

/**
 * The demo's bot "Aurora": the network's own demo member's, in Finnish, Swedish and English, with
 * every shared dialogue but handover (the demo has nobody to hand over to, and a made-up phone
 * number would send people nowhere) and two intents of its own about the demo, so that a first
 * start has a bot to talk to (the citizen app's chat, the widget). Made and published on a demo
 * start; a later start changes nothing unless the pack below changed, and then publishes it as the
 * next version.
 */
export const DEMO_BOT_ID = 'a7e0c2d4-5b8f-4e31-9d6a-1c2b3e4f5a60';
export const DEMO_BOT_NAME = 'Aurora';

const examples = (fi: string[], sv: string[], en: string[]) => ({ fi, sv, en });

export const DEMO_BOT_PACK: Pack = checkPack({
  languages: ['fi', 'sv', 'en'],
  handover: {},
  shared: SHARED_DIALOGUE_IDS.filter((id) => id !== 'handover'),
  intents: [
    {
      id: 'about-demo',
      examples: examples(
        ['mikä aurora on', 'mikä tämä palvelu on', 'onko tämä oikea palvelu', 'kerro aurora-verkostosta', 'mikä on aurora-demo', 'onko tämä demo', 'mistä nämä palvelut tulevat', 'ovatko palvelut oikeita'],
        ['vad är aurora', 'vad är den här tjänsten', 'är det här en riktig tjänst', 'berätta om aurora-nätverket', 'vad är aurora-demon', 'är det här en demo', 'varifrån kommer tjänsterna', 'är tjänsterna riktiga'],
        ['what is aurora', 'what is this service', 'is this a real service', 'tell me about the aurora network', 'what is the aurora demo', 'is this a demo', 'where do these services come from', 'are the services real'],
      ),
      answer: {
        text: {
          fi: 'Olen Aurora, palveluverkoston esittelybotti. Esittelyn palvelut ovat oikeita palveluita valtakunnallisesta palvelutietovarannosta (PTV) sekä Turusta, Oulusta ja Mikkelistä. Palvelu "Nettilukio aikuisille" ottaa esittelyssä vastaan tietoja, jotka päätät viedä sille: se näyttää vain, mitä sai.',
          sv: 'Jag är Aurora, servicenätverkets demobot. Tjänsterna i demon är riktiga tjänster från det nationella servicedatalagret (PTV) och från Åbo, Uleåborg och S:t Michel. Tjänsten "Nettilukio aikuisille" tar i demon emot de uppgifter du väljer att skicka: den visar bara vad den fick.',
          en: 'I am Aurora, the service network’s demo bot. The demo’s services are real ones from the national Finnish Service Catalogue (PTV) and from Turku, Oulu and Mikkeli. In the demo, the service "Nettilukio aikuisille" receives the information you choose to send it: it only shows what it got.',
        },
      },
    },
    {
      id: 'try-transfer',
      examples: examples(
        ['miten kokeilen tietojen siirtoa', 'miten tietoja siirretään', 'voinko kokeilla tietojen viemistä palveluun', 'miten suostumus toimii', 'miten tietojen lähettäminen toimii', 'näytä miten siirto toimii'],
        ['hur provar jag att föra över uppgifter', 'hur överförs uppgifter', 'kan jag prova att skicka uppgifter till en tjänst', 'hur fungerar samtycket', 'hur fungerar det att skicka uppgifter', 'visa hur överföringen fungerar'],
        ['how do i try the transfer', 'how is information transferred', 'can i try sending my information to a service', 'how does consent work', 'how does sending information work', 'show me how the transfer works'],
      ),
      answer: {
        text: {
          fi: 'Kerro ensin kuntasi ja ikäsi tai tee elämäntilannekysely. Kysy sitten esimerkiksi "nettilukio aikuisille" ja sano "vie tietoni seuraavaan palveluun". Näet ennen lähettämistä jokaisen tiedon ja valitset itse, mitä lähtee; suostumuksen voit perua Omat tiedot -sivulla.',
          sv: 'Berätta först din kommun och din ålder, eller gör livssituationskollen. Fråga sedan till exempel efter "nettilukio aikuisille" och säg "ta min berättelse vidare". Innan något skickas ser du varje uppgift och väljer själv vad som går; samtycket kan du återkalla på sidan Mina uppgifter.',
          en: 'First tell me your municipality and age, or do the life-situation check. Then ask for, say, "nettilukio aikuisille" and say "take my story to the next service". Before anything is sent you see each item and choose what goes; you can withdraw the consent on the My information page.',
        },
      },
    },
  ],
  forms: [],
  tests: [
    { name: 'about the demo fi', language: 'fi', transcript: '#me\nmikä aurora on\n#bot intent:about-demo' },
    { name: 'about the demo sv', language: 'sv', transcript: '#me\nvad är aurora\n#bot intent:about-demo' },
    { name: 'trying the transfer en', language: 'en', transcript: '#me\nhow do i try the transfer\n#bot intent:try-transfer' },
  ],
});

/**
 * Makes the demo bot and publishes it, once; publishes DEMO_BOT_PACK again when the published pack
 * differs from it (an upgrade). Returns what it did, for the start's log.
 */
export async function setUpDemoBot(db: Db, recommender: { ready(): Promise<Recommender> }): Promise<'created' | 'updated' | 'unchanged'> {
  const memberId = await ensureDemoMember(db);
  const bot = await db.selectFrom('chatbot_bots').select(['published_version']).where('id', '=', DEMO_BOT_ID).executeTakeFirst();
  if (bot && bot.published_version !== null) {
    const published = await db.selectFrom('chatbot_versions').select('pack').where('bot_id', '=', DEMO_BOT_ID).where('version', '=', bot.published_version).executeTakeFirst();
    if (published && isDeepStrictEqual(published.pack, DEMO_BOT_PACK)) return 'unchanged';
  }
  if (!bot) {
    // Two servers starting at once: the second insert does nothing.
    const made = await db
      .insertInto('chatbot_bots')
      .values({ id: DEMO_BOT_ID, member_id: memberId, name: DEMO_BOT_NAME, draft: JSON.stringify(DEMO_BOT_PACK), published_version: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (made) await audit(db, { actor: 'demo', action: 'chatbot.create', target: DEMO_BOT_ID, memberId, details: { name: DEMO_BOT_NAME } });
  } else {
    await db.updateTable('chatbot_bots').set({ draft: JSON.stringify(DEMO_BOT_PACK), updated_at: new Date() }).where('id', '=', DEMO_BOT_ID).execute();
  }
  await publishVersion(db, recommender, memberId, DEMO_BOT_ID, 'demo');
  return bot ? 'updated' : 'created';
}
