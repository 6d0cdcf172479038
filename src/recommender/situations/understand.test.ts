import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LANGUAGES, type Language } from '../../catalogue/model.ts';
import { BLIND, COLLOQUIAL, COLLOQUIAL_OUT_OF_DOMAIN, COMBINED, DEVELOPMENT, FRESH, OUT_OF_DOMAIN, type HeldOut } from './held-out.ts';
import { analyseFinnish, analyseSpokenFinnish, tokenize } from '../text/analyzer.ts';
import { loadSituationModel } from './model.ts';
import { shippedSituationMatcher, SituationMatcher, THRESHOLD } from './understand.ts';
import { editDistance, fold, participleVerb, wordKeys } from './words.ts';

const matcher = shippedSituationMatcher();
const model = matcher.model;
const ids = (text: string, language?: Language) => matcher.understand(text, language ? { language } : {}).concepts.map((m) => m.concept.id);
/** Each text, in its language, is read as a crisis (true) or not (false). */
const assertCrisis = (expected: boolean, cases: readonly (readonly [string, Language])[]) => {
  for (const [text, language] of cases) assert.equal(matcher.understand(text, { language }).crisis, expected, text);
};

/** Per language: the share of held-out phrasings whose concept is among the first two found. */
function recall(set: readonly HeldOut[]) {
  const out = {} as Record<Language, { found: number; of: number; missed: string[] }>;
  for (const language of LANGUAGES) out[language] = { found: 0, of: 0, missed: [] };
  for (const [language, text, concept] of set) {
    const r = out[language];
    r.of++;
    if (ids(text).slice(0, 2).includes(concept)) r.found++;
    else r.missed.push(`${text} → ${concept}`);
  }
  return out;
}

test('the shipped matcher is built once', () => {
  assert.equal(shippedSituationMatcher(), matcher);
  assert.ok(matcher instanceof SituationMatcher);
  assert.equal(model.version, loadSituationModel().version);
});

describe('the issue’s examples', () => {
  test('a lost job and unpaid rent are two situations in one sentence', () => {
    const u = matcher.understand('menetin työpaikkani enkä pysty maksamaan vuokraa');
    assert.deepEqual(u.concepts.map((m) => m.concept.id).sort(), ['cannot-pay-rent', 'lost-job']);
    assert.equal(u.language, 'fi');
    assert.equal(u.crisis, false);
    assert.equal(u.asker, 'person');
    const lost = u.concepts.find((m) => m.concept.id === 'lost-job')!;
    assert.ok(lost.words.includes('työpaikkani') && lost.phrase.length > 0);
    assert.equal(lost.concept.said.en, 'You said you lost your job');
  });
  test('loneliness is loneliness, a mother’s care is care, rye bread is nothing', () => {
    assert.equal(ids('olen yksinäinen eikä minulla ole ystäviä')[0], 'loneliness');
    const care = matcher.understand('min mamma är sjuk och jag tar hand om henne');
    assert.equal(care.concepts[0]?.concept.id, 'caring-for-relative');
    assert.equal(care.language, 'sv');
    assert.deepEqual(ids('how do I bake rye bread'), []);
  });
});

describe('held-out phrasings (written apart from the data)', () => {
  // The development and fresh sets must reach 80 %; the blind one (wording the data does not use)
  // guards against a fall below where it stood when it was written (see held-out.ts).
  // The colloquial set (spoken Finnish, issue #12) stood at 93 % (fi), 96 % (sv), 100 % (en) with model 1.5.0, which was tuned on it.
  for (const [name, set, bar] of [['development', DEVELOPMENT, 0.8], ['fresh', FRESH, 0.8], ['blind', BLIND, 0.5], ['colloquial', COLLOQUIAL, 0.85]] as const)
    test(`${name} set: at least ${bar * 100} % find their concept in the first two, in each language`, (t) => {
      const r = recall(set);
      for (const language of LANGUAGES) {
        const { found, of } = r[language];
        t.diagnostic(`${name} ${language}: ${found}/${of} = ${((100 * found) / of).toFixed(0)} %`);
      }
      for (const language of LANGUAGES) {
        const { found, of, missed } = r[language];
        assert.ok(of >= 20, `${name} ${language} has ${of} phrasings`);
        assert.ok(found / of >= bar, `${name} ${language}: ${found}/${of}; missed:\n${missed.join('\n')}`);
      }
    });

  test('no held-out phrasing is in the data', () => {
    const norm = (text: string) => tokenize(text).join(' ');
    const data = new Set(model.concepts.flatMap((c) => LANGUAGES.flatMap((l) => [...c.phrasings[l], ...c.vocabulary[l]].map(norm))));
    for (const [, text] of [...DEVELOPMENT, ...FRESH, ...BLIND, ...COLLOQUIAL]) assert.ok(!data.has(norm(text)), text);
  });

  test('several situations in one sentence are each found', () => {
    for (const [language, text, expected] of COMBINED) {
      const found = ids(text, language);
      for (const id of expected) assert.ok(found.includes(id), `${text}: ${id} not in ${found.join(', ')}`);
    }
  });

  test('out-of-domain questions match nothing', () => {
    for (const [language, text] of [...OUT_OF_DOMAIN, ...COLLOQUIAL_OUT_OF_DOMAIN]) {
      assert.deepEqual(ids(text), [], text);
      assert.deepEqual(ids(text, language), [], `${text} (${language})`);
    }
  });
});

describe('crisis, language and who is asking', () => {
  test('immediate danger is a crisis in every language', () => {
    for (const text of ['haluan kuolla', 'en jaksa enää elää, ajattelen itsemurhaa', 'I want to kill myself', 'jag vill ta mitt liv', 'hän lyö minua nyt', 'he is hitting me right now', 'han hotar mig med kniv just nu', 'jag vill inte leva', 'en halua elää', 'i do not want to live'])
      assert.equal(matcher.understand(text).crisis, true, text);
    for (const text of ['olen työtön', 'my husband drinks too much', 'jag vill lägga ner mitt företag', 'haluan lopettaa yritykseni'])
      assert.equal(matcher.understand(text).crisis, false, text);
  });

  test('words that only sound like danger are no crisis; danger in spoken words still is (model 1.9.0)', () => {
    // A crisis needs its phrase's most specific word ("slår", not "hjälp" and "nu"), and a crisis of
    // one word that another reading explains with more words is that reading (a pounding heart).
    assertCrisis(true, [['i wanna die tonight', 'en'], ['pappa andas inte längre', 'sv'], ['min pojkvän slår mig just nu', 'sv']]);
    assertCrisis(false, [
      ['jag behöver hjälp nu med blanketten', 'sv'],
      ['I need help now', 'en'],
      ['mormor håller på att dö', 'sv'],
      ['sydän hakkaa kun jännittää', 'fi'],
      ['how do I kill the moss on my roof', 'en'],
    ]);
    assert.equal(ids('mormor håller på att dö', 'sv')[0], 'end-of-life-care');
  });

  test('one word that only an emergency uses is an emergency; a common word of a crisis phrasing is not (model 1.11.0)', () => {
    // "ihminen on tajuton" is met by its one word "tajuton", whoever is unconscious.
    assertCrisis(true, [
      ['vaimoni on tajuton', 'fi'],
      ['my wife is unconscious', 'en'],
      ['min fru är medvetslös', 'sv'],
      ['farfar fick hjärtattack', 'sv'],
      ['naapurilla on yliannostus', 'fi'],
      ['my brother overdosed', 'en'],
      ['hon tog en överdos', 'sv'],
    ]);
    // "everyone" is a word of "everyone would be better off without me" alone, but a small part of it.
    assert.equal(matcher.understand('everyone in my class laughs at me', { language: 'en' }).crisis, false);
  });

  test('the signs of a stroke happening now are an emergency; a stroke in the past is not (model 1.12.0)', () => {
    // Face drooping, speech slurred, an arm that will not lift (the FAST signs), or a stroke suspected now.
    assertCrisis(true, [
      ['mieheni suupieli roikkuu ja puhe on sekavaa', 'fi'],
      ['ukin puhe puuroutui äkkiä', 'fi'],
      ['epäilen että isällä on aivoinfarkti', 'fi'],
      ['jag tror att farmor har fått en stroke', 'sv'],
      ['hans mungipa hänger', 'sv'],
      ["my husband's face is drooping on one side", 'en'],
      ['my grandma suddenly can not lift her arm', 'en'],
      ['i think my neighbour is having a stroke', 'en'],
    ]);
    // A stroke named with no sign that it is happening now: rehabilitation, care at home.
    assertCrisis(false, [
      ['isä sai aivohalvauksen viime vuonna ja tarvitsee kotihoitoa', 'fi'],
      ['aivoinfarktin jälkeen en pysty tekemään töitä', 'fi'],
      ['pappa fick en stroke i fjol och behöver hemtjänst', 'sv'],
      ['he had a stroke two years ago and now i care for him', 'en'],
      ['since her stroke my mum needs help with shopping', 'en'],
      ['the drooping gutter on my roof needs fixing', 'en'],
    ]);
    assert.ok(ids('after my stroke i need physiotherapy', 'en').includes('rehabilitation'));
  });

  test('"lisää" (more) names no situation: "haluaisin tietää lisää palveluista" is no name change (model 1.12.0)', () => {
    // "lisää" is also a form of "lisätä" (to add), as in "haluan lisätä toisen etunimen".
    assert.ok(!ids('haluaisin tietää lisää palveluista', 'fi').includes('name-change'));
    assert.ok(ids('haluan lisätä toisen etunimen lapselleni', 'fi').includes('name-change'));
  });

  test("a Swedish phrasing's article is no negation: 'vi behöver en ambulans' meets a message without 'en'", () => {
    assert.equal(matcher.understand('vi behöver ambulans', { language: 'sv' }).crisis, true);
  });

  test('a word a phrasing says no to, met alone by a message that says no to nothing, is not that situation', () => {
    // "en kuule enää hyvin" (I can't hear well): hearing of something is no hearing loss.
    for (const [text, language] of [
      ['kuulin että kela maksaa opintotukea', 'fi'],
      ['haluaisin kuulla lisää asumistuesta', 'fi'],
      ['när kan jag gå i pension', 'sv'],
    ] as const) {
      assert.ok(!ids(text, language).includes('hearing-vision-loss'), text);
      assert.ok(!ids(text, language).includes('disability-mobility'), text);
    }
    // Said with the no, it is; and a word the no is not about still meets ("can't stop betting").
    assert.ok(ids('en kuule enää kunnolla', 'fi').includes('hearing-vision-loss'));
    assert.ok(ids('betting took all my savings', 'en').includes('gambling'));
  });

  test('a message without a negation does not meet a crisis phrase with one', () => {
    // "en halua elää" / "i do not want to live" share "want" and "life" with requests that mean the opposite.
    assertCrisis(false, [
      ['haluan tehdä elämäntilannekyselyn', 'fi'],
      ['i want to do the life situation check', 'en'],
      ['i want to find a service that fits', 'en'],
      ['jag vill leva ett bra liv', 'sv'],
    ]);
    assertCrisis(true, [
      ['en halua enää elää', 'fi'],
      ['ei oo mitään syytä elää', 'fi'],
      ["i don't want to live anymore", 'en'],
      ['jag vill inte leva längre', 'sv'],
      ['haluan kuolla', 'fi'],
    ]);
  });

  test('a crisis said of someone else is a crisis too: the person asking may be the one who can help now', () => {
    assertCrisis(true, [
      ['haluun kuolla', 'fi'],
      ['mä haluun vaan kuolla', 'fi'],
      ['aion tappaa itseni', 'fi'],
      ['my dad hit me and i want to kill myself', 'en'],
      ['jag vill dö', 'sv'],
      ['my son is cutting himself', 'en'],
      ['my son wants to kill himself', 'en'],
      ['poikani sanoo että haluaa kuolla', 'fi'],
      ['min dotter vill ta livet av sig', 'sv'],
    ]);
    // A death that has happened is a bereavement, not a danger now.
    assert.equal(matcher.understand('my brother killed himself last year', { language: 'en' }).crisis, false);
  });

  test('a typo is of a word of the person’s language', () => {
    // Swedish "bästa" is one letter from Finnish "lasta" (a child): it read as the children's helpline.
    assert.deepEqual(ids('vilken är den bästa kaffebryggaren', 'sv'), []);
  });

  test('a business says so', () => {
    for (const text of ['minulla on yritys ja en pysty maksamaan laskuja', 'I run a small business and need a loan', 'mitt företag går med förlust']) assert.equal(matcher.understand(text).asker, 'business', text);
    for (const text of ['en pysty maksamaan laskuja', 'I need a loan for a car', 'jag har skulder']) assert.equal(matcher.understand(text).asker, 'person', text);
    // "company" is a business's word, unless a person's situation explains it better.
    assert.equal(matcher.understand('my company is going bankrupt').asker, 'business');
    assert.equal(matcher.understand('my widowed mum sits alone at home all day and needs company').asker, 'person');
  });

  test('of two readings of the same words, a much weaker one goes', () => {
    // A husband is family as a son is (one class of relatives), but "my husband died" is not a child's death.
    for (const [text, language] of [['min man dog förra veckan', 'sv'], ['my wife died suddenly', 'en']] as const) {
      const found = ids(text, language);
      assert.ok(found.includes('bereavement') && !found.includes('child-death'), `${text}: ${found}`);
    }
    assert.ok(ids('vår son dog i en olycka', 'sv').includes('child-death'));
  });

  test('general words complete a match but never make one', () => {
    // Each shares only a general word ("anymore", "aamu", "dagar") with a phrasing of another situation.
    for (const [text, language, not] of [
      ["my health won't let me keep working anymore", 'en', 'elderly-parent-needs-help'],
      ['tytär itkee joka aamu kun muut haukkuu sitä', 'fi', 'alcohol'],
      ['jag dricker varje dag och kan inte sluta', 'sv', 'drugs'],
      ['perintätoimisto lähettää koko ajan kirjeitä', 'fi', 'anxiety'],
    ] as const)
      assert.ok(!ids(text, language).includes(not), `${text}: ${not}`);
    // With the situation's own words, they still count: the whole phrasing is matched in full.
    const full = matcher.understand('firma meni konkurssiin ja jäin ilman töitä', { language: 'fi' }).concepts.find((m) => m.concept.id === 'lost-job');
    assert.equal(full?.score, 1);
  });

  test('the language is the hint, else detected, else the language that matched', () => {
    assert.equal(matcher.understand('jag är arbetslös').language, 'sv');
    assert.equal(matcher.understand("I'm homeless").language, 'en');
    assert.equal(matcher.understand('jag är arbetslös', { language: 'fi' }).language, 'fi');
    assert.equal(matcher.understand('jag är arbetslös', { language: 'fi' }).languageFrom, 'hint');
    assert.equal(matcher.understand('arbetslös').language, 'sv');
    assert.equal(matcher.understand('työtön').language, 'fi');
  });

  test('scores are between the threshold and 1, best first', () => {
    const u = matcher.understand('menetin työpaikkani ja nyt vuokrakin on rästissä, velkaa on paljon');
    assert.ok(u.concepts.length >= 2);
    for (const [i, m] of u.concepts.entries()) {
      assert.ok(m.score >= (m.concept.crisis ? 0 : THRESHOLD) && m.score <= 1, `${m.concept.id} ${m.score}`);
      if (i) assert.ok(m.score <= u.concepts[i - 1]!.score);
    }
  });
});

describe('the model against itself', () => {
  test('every phrasing finds its own concept first or second', () => {
    const missed: string[] = [];
    for (const c of model.concepts)
      for (const language of LANGUAGES)
        for (const phrasing of c.phrasings[language]) if (!ids(phrasing, language).slice(0, 2).includes(c.id)) missed.push(`${c.id} ${language}: ${phrasing}`);
    assert.deepEqual(missed, []);
  });

  test('casing, punctuation and spacing do not matter', () => {
    const all = model.concepts.flatMap((c) => LANGUAGES.flatMap((language) => c.phrasings[language].map((p) => [c.id, language, p] as const)));
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        fc.constantFrom('', '!', '?', '...', ' :(', '!!1'),
        fc.constantFrom(' ', '  ', ', ', ' - '),
        ([id, language, phrasing], upper, end, gap) => {
          const variant = [...phrasing].map((ch, i) => (upper[i % upper.length] ? ch.toLocaleUpperCase('fi') : ch)).join('').split(' ').join(gap) + end;
          const original = matcher.understand(phrasing, { language }).concepts.map((m) => [m.concept.id, m.score]);
          const changed = matcher.understand(variant, { language }).concepts.map((m) => [m.concept.id, m.score]);
          assert.deepEqual(changed, original, `${phrasing} / ${variant}`);
          assert.ok(original.some(([c]) => c === id));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('Finnish typed without ä and ö mostly still finds its concept', () => {
    const phrasings = model.concepts.flatMap((c) => c.phrasings.fi.filter((p) => /[äö]/.test(p)).map((p) => [c.id, p] as const));
    const found = phrasings.filter(([id, p]) => ids(fold(p), 'fi').slice(0, 3).includes(id)).length;
    assert.ok(found / phrasings.length >= 0.8, `${found}/${phrasings.length}`);
  });

  test('one typing error in a long word is forgiven', () => {
    fc.assert(
      fc.property(fc.constantFrom(...model.concepts.flatMap((c) => c.phrasings.en.map((p) => [c.id, p] as const))), fc.nat(), ([id, phrasing], seed) => {
        const words = phrasing.split(' ');
        const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
        if (longest.length < 8 || !/^[a-z]+$/.test(longest)) return;
        const i = 1 + (seed % (longest.length - 2));
        const typo = longest.slice(0, i) + longest[i + 1] + longest[i] + longest.slice(i + 2); // two letters swapped
        if (editDistance(typo, longest, 1) !== 1) return;
        const text = words.map((w) => (w === longest ? typo : w)).join(' ');
        assert.ok(matcher.matches(text, 'en').slice(0, 3).some((m) => m.concept.id === id), `${phrasing} → ${text}`);
      }),
      { numRuns: 200 },
    );
  });
});

test('spoken Finnish is read as written: dropped endings, spoken forms, words that are another word written', (t) => {
  if (!analyseFinnish('hylkäsi') || !analyseFinnish('masentunut')) return t.skip('needs Voikko');
  for (const [spoken, lemma] of [
    ['masentunu', 'masentunut'], ['hylkäs', 'hylätä'], ['tiiä', 'tietää'], ['haluun', 'haluta'], ['työttömäks', 'työtön'],
    ['hakemuksii', 'hakemus'], ['vaikee', 'vaikea'], ['vaikeeta', 'vaikea'], ['kaatu', 'kaatua'], ['tarviin', 'tarvita'],
    ['alottaa', 'aloittaa'], ['alotin', 'aloittaa'], ['tappo', 'tappaa'], ['uus', 'uusi'], ['itelle', 'itse'], ['tarttee', 'tarvita'],
    ['tyttöö', 'tyttö'], ['kouluu', 'koulu'], ['millanen', 'millainen'],
  ] as const)
    assert.ok(analyseSpokenFinnish(spoken)?.lemmas.includes(lemma), `${spoken}: ${analyseSpokenFinnish(spoken)?.lemmas}`);
  // A written word is taken as it is: "kuule" is kuulla, not a spoken form of something else.
  assert.deepEqual(analyseSpokenFinnish('vuokra'), analyseFinnish('vuokra'));
  assert.equal(analyseSpokenFinnish('xqzt'), null);
});

test('a colloquial word counts as its standard one: a firma is a business', (t) => {
  if (!analyseFinnish('firman')) return t.skip('needs Voikko');
  assert.ok(ids('perustan firman', 'fi').includes('starting-business'));
  const keys = wordKeys('fi', 'firman')!;
  assert.equal(keys.get('l:firma'), 1);
  assert.ok((keys.get('l:yritys') ?? 0) > 0 && keys.get('l:yritys')! < 1, 'the standard word counts a little less');
});

test('a base form is not also another word with a clitic: eating is not cancer', (t) => {
  if (!analyseFinnish('syöpä')) return t.skip('needs Voikko');
  assert.deepEqual(analyseFinnish('syöpä')?.lemmas, ['syöpä']);
  assert.ok(analyseFinnish('usko')?.lemmas.includes('uskoa'), 'usko is also uskoa: "us" is no word');
  assert.ok(analyseFinnish('lapsikin')?.lemmas.includes('lapsi'));
  for (const text of ['tyttö ei syö', 'en oo syöny kunnolla']) assert.ok(!ids(text, 'fi').includes('serious-illness'), text);
});

test('a passive past participle is its verb: "on yritetty" is trying as "yritämme" is', (t) => {
  if (!analyseFinnish('yritetty')) return t.skip('needs Voikko');
  for (const [participle, verb] of [
    ['yritetty', 'yrittää'], ['menetetty', 'menettää'], ['maksettu', 'maksaa'], ['irtisanottu', 'irtisanoa'],
    ['kiusattu', 'kiusata'], ['tehty', 'tehdä'], ['haettu', 'hakea'], ['hoidettu', 'hoitaa'], ['nukuttu', 'nukkua'], ['tapettu', 'tappaa'],
  ] as const)
    assert.equal(participleVerb(participle), verb, participle);
  assert.equal(participleVerb('pelannut'), 'pelata');
  assert.equal(participleVerb('työ'), null);
});

describe('everyday words the model misread (issue #12, model 1.7.0)', () => {
  test('a baby is a child: a baby who died is a child’s death, not a new baby', (t) => {
    if (!analyseFinnish('vauva')) return t.skip('needs Voikko');
    assert.equal(ids('meidän vauva kuoli', 'fi')[0], 'child-death');
    assert.ok(!ids('meidän vauva kuoli', 'fi').includes('new-baby'));
  });

  test('a landlord giving notice is eviction alone; a boyfriend leaving is no pregnancy; running and machines are nothing', () => {
    assert.deepEqual(ids('vuokraisäntä irtisanoo meidät', 'fi'), ['eviction']);
    assert.deepEqual(ids('my boyfriend left me', 'en'), ['relationship-trouble']);
    assert.deepEqual(ids('start running', 'en'), []);
    assert.deepEqual(ids('kone ei toimi', 'fi'), []);
  });

  test('someone who took their own life, said as people say it, is a suicide bereavement', (t) => {
    if (!analyseFinnish('tappoi')) return t.skip('needs Voikko');
    assert.equal(ids('kaveri tappo ittensä', 'fi')[0], 'suicide-bereavement');
  });
});

describe('everyday words the model misread (issue #12, model 1.6.0)', () => {
  const first = (text: string, language: Language) => ids(text, language)[0];

  test('debts in any form reach debt trouble first', () => {
    for (const [text, language] of [['mulla on velat', 'fi'], ['velkani', 'fi'], ['velkojen takia en nuku', 'fi']] as const)
      assert.equal(first(text, language), 'debt-trouble', text);
  });

  test('a single parent needs a child: alone with a wife gone is not one', () => {
    for (const [text, language] of [['vaimo jätti mut ja nyt asun yksin', 'fi'], ['min fru lämnade mig och jag bor ensam', 'sv'], ['my wife left me and i live alone now', 'en']] as const)
      assert.ok(!ids(text, language).includes('single-parent'), text);
    for (const [text, language] of [['asun yksin poikani kanssa', 'fi'], ['my wife left and i am alone with our son', 'en']] as const)
      assert.ok(ids(text, language).includes('single-parent'), text);
  });

  test('needing help, or help now, is no situation by itself', () => {
    // "apua" is a part of "ruoka-apua" and "apuväline" but no more specific for it; "nyt" is a time.
    for (const [text, language] of [['i need help', 'en'], ['tarvitsen apua nyt', 'fi'], ['tarviin apua', 'fi']] as const)
      assert.deepEqual(ids(text, language), [], text);
    assert.deepEqual(ids('en tiedä mistä hakea apua', 'fi'), ['where-to-get-help']);
    // A time word completes a crisis phrase still.
    for (const text of ['hän lyö minua nyt', 'he is hitting me now']) assert.equal(matcher.understand(text).crisis, true, text);
  });

  test('a drug service’s phrase says drugs', () => {
    const drugs = model.byId.get('drugs')!;
    assert.ok(!drugs.vocabulary.fi.includes('haittojen vähentäminen') && drugs.vocabulary.fi.includes('huumeiden haittojen vähentäminen'));
  });

  test('a landlord’s notice is the tenancy ending, not a dismissal', () => {
    assert.deepEqual(ids('vuokranantaja irtisanoi mut', 'fi'), ['eviction']);
    assert.equal(first('my landlord gave me notice to move', 'en'), 'eviction');
    assert.equal(first('minut irtisanottiin töistä', 'fi'), 'lost-job');
    // "meidät" is a function word inflected: it no longer dilutes what the landlord's words explain.
    assert.ok(ids('vuokraisäntä irtisanoo meidät', 'fi').includes('eviction'));
  });

  test('a child that does not come is infertility', () => {
    for (const [text, language] of [['meillä ei synny lasta vaikka ollaan yritetty', 'fi'], ['en tuu raskaaksi', 'fi'], ['vi kan inte få barn fast vi har försökt länge', 'sv']] as const)
      assert.equal(first(text, language), 'want-a-child', text);
  });

  test('being left by a partner is the relationship, whatever the verb also means', () => {
    // jättää is not jäte (waste) by a shared stem; Swedish "man" after a possessive is a husband, else "one".
    for (const [text, language] of [['mies jätti mut', 'fi'], ['min man lämnade mig', 'sv'], ['my husband left me', 'en'], ['vaimo jätti mut ja nyt asun yksin', 'fi']] as const)
      assert.equal(first(text, language), 'relationship-trouble', text);
    assert.ok(!ids('jätin koulun kesken', 'fi').includes('relationship-trouble'));
    assert.ok(!ids('var lämnar man gamla batterier', 'sv').includes('relationship-trouble'));
    assert.equal(first('min man dog förra veckan', 'sv'), 'bereavement');
  });

  test('"starta" starts anything, not a business', () => {
    assert.deepEqual(ids('jag vill starta en förening', 'sv'), []);
    assert.ok(ids('jag vill starta ett eget företag', 'sv').includes('starting-business'));
  });
});
