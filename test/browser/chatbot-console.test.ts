import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, addService, approvedMember } from '../../src/testing/console.ts';
import { en as consoleEn } from '../../web/console/locales/en.ts';
import { fi as consoleFi } from '../../web/console/locales/fi.ts';
import { sv as consoleSv } from '../../web/console/locales/sv.ts';
import { consoleLogin, expectNoSeriousAxeViolations, inPage, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * A member's bot whisperer in the console, once in each UI language: creates a bot from the shared
 * bank (every shared dialogue ticked), gives the handover phone, adds an intent of its own with
 * examples in fi, sv and en and an answer linking one of the member's services (an id the server
 * refuses first, shown at its field), tries it live against the draft and sees the intent and how
 * sure; writes a transcript test that fails, sees the publish blocked naming the test and its line,
 * fixes it and publishes. A message a person sent through the public conversation API that the bot
 * did not recognise is added as an example; the accuracy table shows. axe finds nothing serious.
 */
const ADMIN = { email: 'bot-browser-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' };
const MEMBER = { name: 'Nuorisopalvelut', email: 'admin@nuoriso-botti.example', password: 'hyvin-pitka-salasana' };
type Texts = typeof consoleFi;
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));

const EXAMPLES = {
  fi: ['miten saan nuorisokortin', 'nuorisokortti', 'haluan hakea nuorisokorttia', 'mistä saa nuorisokortin', 'nuorisokortin hakeminen'],
  sv: ['hur får jag ungdomskort', 'ungdomskort', 'jag vill ansöka om ungdomskort', 'var får man ungdomskort', 'ansöka ungdomskort'],
  en: ['how do i get a youth card', 'youth card', 'i want to apply for a youth card', 'where can i get a youth card', 'applying for a youth card'],
};
const ANSWERS = { fi: 'Nuorisokortin saat nuorisotalolta.', sv: 'Ungdomskortet får du från ungdomsgården.', en: 'You get the youth card at the youth centre.' };
const TRY = { fi: 'mistä saan nuorisokortin', sv: 'var får jag ungdomskort', en: 'how can i get a youth card' };
const UNRECOGNISED = { fi: 'saako koiran tuoda kirjastoon', sv: 'får man ta med hunden till biblioteket', en: 'can i bring my dog to the library' };
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('chatbot console: a whisperer builds, tries, tests and publishes a bot', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let memberId = '';
  let serviceName = '';

  before(async () => {
    network = await startNetwork({ demo: false });
    await createNetworkAdmin(network.database.db, ADMIN, 'test');
    const admin = await new ConsoleUser(network.app).loginOk(ADMIN.email, ADMIN.password);
    memberId = (await approvedMember(admin, MEMBER)).memberId;
    serviceName = 'Nuorisotalo Kipinä';
    const { serviceId } = await addService(network.database.db, serviceName);
    await sql`update services set owner_member_id = ${memberId} where id = ${serviceId}`.execute(network.database.db);
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  const section = async (page: Page, c: Texts, name: keyof Texts['chatbot']['section']) => {
    await page.getByRole('navigation', { name: c.chatbot.sections }).getByRole('link', { name: c.chatbot.section[name], exact: true }).click();
    await page.waitForURL(new RegExp(`/${name}$`));
  };

  for (const [ui, c, locale] of [['fi', consoleFi, 'fi-FI'], ['sv', consoleSv, 'sv-FI'], ['en', consoleEn, 'en-GB']] as const) {
    test(`${ui}: create from the shared bank, an own intent in three languages, try, a failing test blocks the publish, fixed and published, an unrecognised message as an example, accuracy`, async () => {
      const ch = (c as Texts).chatbot;
      const botName = `Nuorisobotti ${ui}`;
      await inPage(browser, network, `chatbot-console-${ui}`, { locale }, async (page) => {
        page.setDefaultTimeout(30_000);
        await consoleLogin(page, c as Texts, MEMBER.email, MEMBER.password);
        await page.getByRole('link', { name: ch.title }).first().click();
        await page.getByRole('heading', { name: ch.title, level: 1 }).waitFor();
        for (const id of ['greet', 'find-services', 'handover', 'life-check'] as const) assert.ok(await page.getByRole('checkbox', { name: ch.shared[id].name }).isChecked(), `${id} is ticked by default`);
        await expectNoSeriousAxeViolations(page, `${ui} bots`);
        await page.getByLabel(ch.name, { exact: true }).fill(botName);
        await page.getByRole('button', { name: ch.create, exact: true }).click();
        await page.getByRole('heading', { name: botName, level: 1 }).waitFor();

        // The content: handover phone, an intent whose id the server refuses first.
        await page.getByLabel(ch.handover_phone).fill('+358 9 310 12345');
        await page.getByRole('button', { name: ch.addIntent }).click();
        await page.getByLabel(ch.intentId, { exact: true }).fill('Nuorisokortti!');
        for (const l of ['fi', 'sv', 'en'] as const) {
          await page.getByLabel(fill(ch.examplesIn, { language: ch.languageIn[l] })).fill(EXAMPLES[l].join('\n'));
          await page.getByLabel(fill(ch.answerIn, { language: ch.languageIn[l] })).fill(ANSWERS[l]);
        }
        await page.getByRole('searchbox', { name: ch.serviceSearch }).fill('Kipinä');
        await page.getByRole('searchbox', { name: ch.serviceSearch }).press('Enter');
        await page.getByRole('button', { name: new RegExp(`^${ch.link}: ${serviceName}`) }).click();
        await page.getByText(serviceName, { exact: true }).first().waitFor();
        await page.getByRole('button', { name: ch.saveDraft }).click();
        await page.getByText(new RegExp(`^${escape(ch.saveRefused.split('{{n}}')[0]!)}`)).waitFor();
        await page.getByText(new RegExp(`^${escape(ch.refusedField.split('{{message}}')[0]!)}`)).first().waitFor();
        await screenshot(page, `console-chatbot-${ui}-1-refused`);
        await page.getByLabel(ch.intentId, { exact: true }).fill('youth-card');
        await page.getByRole('button', { name: ch.saveDraft }).click();
        await page.getByText(ch.saved).waitFor();
        await expectNoSeriousAxeViolations(page, `${ui} bot content`);

        // Trying it live against the draft.
        await section(page, c as Texts, 'try');
        await page.getByLabel(ch.try.message, { exact: true }).fill(TRY[ui]);
        await page.getByRole('button', { name: ch.try.send }).click();
        const log = page.getByRole('list', { name: ch.try.log });
        await log.getByText(new RegExp(`^${escape(ch.try.recognised.split('{{intent}}')[0]!)}youth-card`)).waitFor();
        await log.getByText(ANSWERS[ui]).waitFor();
        await log.getByText(serviceName).waitFor();
        await expectNoSeriousAxeViolations(page, `${ui} try it`);
        await screenshot(page, `console-chatbot-${ui}-2-try`);

        // A transcript test that fails blocks the publish, naming the test and the line.
        await section(page, c as Texts, 'tests');
        await page.getByRole('button', { name: ch.tests.add }).click();
        await page.getByLabel(ch.tests.name, { exact: true }).fill(`nuorisokortti ${ui}`);
        await page.getByLabel(ch.tests.language, { exact: true }).selectOption(ui);
        await page.getByLabel(ch.tests.transcript, { exact: true }).fill(`#me\n${TRY[ui]}\n#bot\nnuorisotilalta`);
        await page.getByRole('button', { name: ch.tests.run }).click();
        await page.getByText(fill(ch.tests.failedAt, { line: 3 })).waitFor();
        await expectNoSeriousAxeViolations(page, `${ui} tests`);
        await section(page, c as Texts, 'versions');
        await page.getByRole('button', { name: ch.versions.publish }).click();
        await page.getByRole('alert').getByText(fill(ch.versions.failedTest, { test: `nuorisokortti ${ui}`, line: 3 })).waitFor();
        await expectNoSeriousAxeViolations(page, `${ui} publish blocked`);
        await screenshot(page, `console-chatbot-${ui}-3-blocked`);
        await section(page, c as Texts, 'tests');
        await page.getByLabel(ch.tests.transcript, { exact: true }).fill(`#me\n${TRY[ui]}\n#bot\n${ANSWERS[ui]}`);
        await page.getByRole('button', { name: ch.tests.run }).click();
        await page.getByText(ch.tests.passed).waitFor();
        await section(page, c as Texts, 'versions');
        await page.getByRole('button', { name: ch.versions.publish }).click();
        await page.getByText(fill(ch.versions.published, { n: 1 })).waitFor();

        // A person's message the bot did not recognise, through the public API, becomes an example.
        const bots = (await network.database.db.selectFrom('chatbot_bots').select('id').where('name', '=', botName).executeTakeFirstOrThrow()).id;
        const started = await (await fetch(`${network.url}/api/v1/bots/${bots}/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: ui }) })).json();
        const said = await (await fetch(`${network.url}/api/v1/bots/${bots}/conversations/${started.conversation_id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: UNRECOGNISED[ui] }) })).json();
        assert.equal(said.intent, null, 'the bot did not recognise it');
        await section(page, c as Texts, 'unrecognised');
        await page.getByText(`“${UNRECOGNISED[ui]}”`).waitFor();
        await expectNoSeriousAxeViolations(page, `${ui} unrecognised`);
        await screenshot(page, `console-chatbot-${ui}-4-unrecognised`);
        await page.getByRole('button', { name: fill(ch.unrecognised.addLabel, { text: UNRECOGNISED[ui] }) }).click();
        await page.getByText(fill(ch.unrecognised.added, { intent: 'youth-card' })).waitFor();
        await page.getByText(ch.unrecognised.none).waitFor();
        const draft = (await network.database.db.selectFrom('chatbot_bots').select('draft').where('id', '=', bots).executeTakeFirstOrThrow()).draft as { intents: { examples: Record<string, string[]> }[] };
        assert.ok(draft.intents[0]!.examples[ui]!.includes(UNRECOGNISED[ui]), 'the message is an example in the draft');

        // Accuracy per language and intent.
        await section(page, c as Texts, 'accuracy');
        const perLanguage = page.getByRole('table', { name: ch.accuracy.perLanguage });
        await perLanguage.getByRole('cell', { name: ch.language.sv, exact: true }).waitFor();
        await page.getByRole('table', { name: ch.accuracy.perIntent }).getByRole('cell', { name: 'youth-card', exact: true }).waitFor();
        await expectNoSeriousAxeViolations(page, `${ui} accuracy`);
        await screenshot(page, `console-chatbot-${ui}-5-accuracy`);
      });
    });
  }
});
