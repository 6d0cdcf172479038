import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testBackends } from '../../testing/databases.ts';
import { useRecommenderApp } from '../testing.ts';

/** The pipeline's answers through HTTP: situations understood, crisis lines first, an honest "nothing fits", who is asking. */

interface Answer {
  language: string;
  understood: { language: string; situations: { id: string; said: string; confidence: number }[]; crisis: boolean; asker: string; age?: number };
  nothing_fits: boolean;
  help_lines: { id: string; kind: string; phone: string; name: string }[];
  try_instead: { kind: string; text: string; life_event?: string }[];
  items: { service_id: string; name: string; confidence: number; crisis: boolean; explanation: string; reasons: { kind: string; situation?: string; text: string }[] }[];
}

for (const backend of testBackends()) {
  describe(`recommendation answers (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const ask = async (payload: object) => {
      const res = await t.post('/api/v1/recommendations', { limit: 10, municipality_code: '491', ...payload });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Answer;
    };

    test('an age the person gives in their words shapes the results: an 82-year-old living alone is not offered youth centres', async () => {
      for (const [withoutAge, withAge] of [
        ['asun yksin, päivät on pitkiä kun kukaan ei käy', 'oon 82 ja asun yksin, päivät on pitkiä kun kukaan ei käy'],
        ['jag bor ensam, ingen hälsar på', 'jag är 82 och bor ensam, ingen hälsar på'],
      ]) {
        const forYoung = (answer: Answer) => answer.items.filter((i) => /nuor|ungdom|youth/i.test(i.name));
        assert.ok(forYoung(await ask({ text: withoutAge })).length > 0, `without an age, "${withoutAge}" may bring youth services`);
        const answer = await ask({ text: withAge });
        assert.ok(answer.items.length > 0 && answer.understood.situations.some((s) => s.id === 'loneliness'));
        assert.equal(answer.understood.age, 82);
        assert.deepEqual(forYoung(answer).map((i) => i.name), [], withAge);
      }
    });

    test('a lost job and unpaid rent: both situations understood and served, in the words of the language asked', async () => {
      for (const [text, language] of [
        ['menetin työpaikkani enkä pysty maksamaan vuokraa', 'fi'],
        ['jag blev av med jobbet och kan inte betala hyran', 'sv'],
        ['I lost my job and cannot pay my rent', 'en'],
      ] as const) {
        const answer = await ask({ text });
        assert.equal(answer.language, language, 'the answer is in the language written in');
        const ids = answer.understood.situations.map((s) => s.id);
        assert.ok(ids.includes('lost-job') && ids.includes('cannot-pay-rent'), `${text}: ${ids}`);
        assert.equal(answer.nothing_fits, false);
        const served = new Set(answer.items.flatMap((i) => i.reasons.filter((r) => r.kind === 'situation').map((r) => r.situation)));
        assert.ok(served.has('lost-job') && served.has('cannot-pay-rent'), `the results cover both needs: ${[...served]}`);
        assert.ok(answer.items.every((i) => i.confidence >= 0.3 && i.confidence <= 1));
        if (language !== 'fi') assert.doesNotMatch(answer.items.map((i) => i.explanation).join(' '), /työ|vuokra|tuki/i, 'no Finnish word quoted in a Swedish or English explanation');
      }
    });

    test('an out-of-domain question gets no services, and says what to try instead', async () => {
      for (const text of ['how do I bake rye bread', 'miten leivon ruisleipää', 'vem vann fotbolls-VM']) {
        const answer = await ask({ text, language: 'en' });
        assert.equal(answer.items.length, 0, `${text}: ${answer.items.map((i) => i.name)}`);
        assert.equal(answer.nothing_fits, true);
        const kinds = answer.try_instead.map((t) => t.kind);
        assert.ok(kinds.includes('life_situation_check') && kinds.includes('rephrase') && kinds.includes('help_line'), String(kinds));
        assert.ok(answer.help_lines.some((l) => l.kind === 'advice'));
      }
    });

    test('immediate danger puts 112 and the crisis lines first, in every language', async () => {
      for (const [text, language, line] of [
        ['en halua enää elää', 'fi', '09 2525 0111'],
        ['jag vill ta mitt liv', 'sv', '09 2525 0112'],
        ['he is hitting me right now', 'en', '080 005 005'],
        // One word that only an emergency uses (model 1.11.0), in a language whose article is the Finnish "no".
        ['min fru är medvetslös', 'sv', '112'],
        // The signs of a stroke (model 1.12.0).
        ['her speech is slurred and she cannot lift her arm', 'en', '112'],
      ] as const) {
        const answer = await ask({ text, language });
        assert.equal(answer.understood.crisis, true, text);
        assert.equal(answer.help_lines[0]?.phone, '112', 'the emergency number comes first');
        assert.ok(answer.help_lines.some((l) => l.phone === line), `${text}: ${answer.help_lines.map((l) => l.phone)}`);
        const crisisAt = answer.items.findIndex((i) => !i.crisis);
        assert.ok(answer.items.slice(0, crisisAt < 0 ? undefined : crisisAt).every((i) => i.crisis), 'crisis services before any other');
      }
      const calm = await ask({ text: 'menetin työpaikkani' });
      assert.equal(calm.understood.crisis, false);
      assert.deepEqual(calm.help_lines, [], 'no crisis lines without a crisis');
    });

    test('a person is not a business: services for companies do not lead unless the person says they run one', async () => {
      const person = await ask({ meters: { finance: 1 }, age: 19 });
      assert.ok(person.items.length > 0);
      assert.doesNotMatch(person.items.slice(0, 3).map((i) => i.name).join(' | '), /yrit|företag|compan/i);
      const business = await ask({ text: 'minulla on yritys ja en pysty maksamaan laskuja' });
      assert.equal(business.understood.asker, 'business');
    });

    test('a situation is served by the services people meet for it, not by the services of a neighbouring one', async () => {
      // Bullying at work is the employer's and occupational safety's matter; at school, the school's.
      const work = await ask({ text: 'my boss humiliates me in front of everyone and I dread going to work', language: 'en' });
      assert.ok(work.understood.situations.some((s) => s.id === 'workplace-harassment'), JSON.stringify(work.understood));
      assert.ok(work.items.length > 0);
      assert.deepEqual(work.items.filter((i) => /opetus|koulu/i.test(i.name)).map((i) => i.name), [], 'no school services for a workplace');
      // Gambling is treated where other addictions are: the person gets those services, not an empty answer.
      const gambling = await ask({ text: 'pelasin kaikki rahat nettikasinolla taas' });
      assert.ok(gambling.items.some((i) => /päihde|mielenterveys/i.test(i.name)), gambling.items.map((i) => i.name).join(', '));
      // A person thinking of suicide is not offered the guide for those bereaved by a suicide first.
      const suicidal = await ask({ text: 'I keep thinking about killing myself' });
      assert.equal(suicidal.understood.crisis, true);
      assert.ok(!/läheisille/.test(suicidal.items[0]?.name ?? ''), suicidal.items[0]?.name);
    });

    test('the lowest meters lead, and a life event adds to the check instead of erasing it', async () => {
      const meters = { housing: 2, finance: 1, health: 5, resilience: 5, working_studying: 5, family: 5, friends: 5, improvement_of_strengths: 5, self_esteem: 5, life_satisfaction: 5 };
      const check = await ask({ meters, language: 'en' });
      assert.ok(check.items.length > 0);
      for (const item of check.items)
        assert.ok(item.reasons.some((r) => r.kind === 'meter' && /You rated “(Housing|Finances)”/.test(r.text)), `${item.name} is there for housing or money: ${item.explanation}`);
      const withEvent = await ask({ meters, life_event: 'losing_job', language: 'en' });
      const kinds = new Set(withEvent.items.flatMap((i) => i.reasons.map((r) => r.kind)));
      assert.ok(kinds.has('meter'), 'the meters still count beside the life event');
      assert.ok(kinds.has('life_event') || kinds.has('situation'), 'and so does the event');
    });
  });
}
