import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { CodeLists } from '../../catalogue/codelists.ts';
import { LANGUAGES } from '../../catalogue/model.ts';
import { LIFE_EVENT_IDS } from '../life-events.ts';
import { METERS } from '../meter-names.ts';
import { buildSituationModel, loadSituationModel, SITUATIONS_DIR, SituationModelError, type ConceptData, type Manifest } from './model.ts';

const model = loadSituationModel();
const codeLists = new CodeLists();

/** A valid concept to break one thing at a time. */
function concept(id: string, changes: Partial<ConceptData> = {}): ConceptData {
  const three = (text: string) => ({ fi: `${text} fi`, sv: `${text} sv`, en: `${text} en` });
  return {
    id,
    label: three('label'),
    said: three('said'),
    phrasings: { fi: [`${id} ensimmäinen`, `${id} toinen`], sv: [`${id} första`, `${id} andra`], en: [`${id} first`, `${id} second`] },
    vocabulary: { fi: ['sana'], sv: ['ord'], en: ['word'] },
    serviceClasses: ['P1.1'],
    targetGroups: ['KR1'],
    lifeEvents: ['moving'],
    meters: ['housing'],
    ...changes,
  };
}
const manifest: Manifest = { name: 'test', version: '9', files: ['a.json'] };
const build = (concepts: unknown[], extensions: { file: string; data: unknown }[] = []) =>
  buildSituationModel({ manifest, domains: [{ file: 'a.json', data: { domain: 'test', concepts } }], extensions, codeLists });
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SituationModelError, String(error));
    return error.problems;
  }
  assert.fail('the model was accepted');
}

describe('the shipped situation model', () => {
  test('loads, versioned, with enough concepts in every domain it names', () => {
    assert.match(model.version, /^\d+\.\d+\.\d+$/);
    assert.ok(model.concepts.length >= 60, `${model.concepts.length} concepts`);
    assert.equal(new Set(model.concepts.map((c) => c.id)).size, model.concepts.length, 'ids are unique');
    const manifestFile = JSON.parse(readFileSync(join(SITUATIONS_DIR, 'manifest.json'), 'utf8')) as Manifest;
    const onDisk = readdirSync(SITUATIONS_DIR).filter((f) => f.endsWith('.json') && f !== 'manifest.json');
    assert.deepEqual([...manifestFile.files].sort(), onDisk.sort(), 'the manifest names every domain file and only those');
  });

  test('every concept speaks all three languages, several ways', () => {
    for (const c of model.concepts)
      for (const language of LANGUAGES) {
        assert.ok(c.label[language].trim() && c.said[language].trim(), `${c.id} ${language}`);
        assert.ok(c.phrasings[language].length >= 3, `${c.id}: at least three ${language} phrasings`);
        for (const p of c.phrasings[language]) assert.ok(p.trim().length > 0 && p === p.trim(), `${c.id}: "${p}"`);
      }
  });

  test('its codes are in the shipped code lists, its meters and life events are Aurora’s', () => {
    for (const c of model.concepts) {
      for (const code of c.serviceClasses) assert.ok(codeLists.serviceClassByCode.has(code), `${c.id}: ${code}`);
      for (const code of c.targetGroups) assert.ok(codeLists.targetGroupByCode.has(code), `${c.id}: ${code}`);
      for (const event of c.lifeEvents) assert.ok((LIFE_EVENT_IDS as string[]).includes(event), `${c.id}: ${event}`);
      for (const meter of c.meters) assert.ok((METERS as readonly string[]).includes(meter), `${c.id}: ${meter}`);
      for (const id of c.related) assert.ok(model.byId.has(id), `${c.id}: related ${id}`);
    }
  });

  test('it covers the situations people bring, flags immediate danger and knows who is a business', () => {
    const expected = ['lost-job', 'cannot-pay-rent', 'debt-trouble', 'homelessness', 'loneliness', 'caring-for-relative', 'pregnancy', 'new-baby', 'divorce-and-children', 'violence-at-home', 'alcohol', 'depression', 'suicidal-thoughts', 'bereavement', 'disability-mobility', 'adult-studies', 'residence-permit', 'starting-business', 'digital-help', 'food-aid'];
    for (const id of expected) assert.ok(model.byId.has(id), id);
    for (const id of ['suicidal-thoughts', 'violence-now']) assert.equal(model.byId.get(id)!.crisis, true, id);
    assert.ok(!model.byId.get('depression')!.crisis);
    for (const c of model.concepts.filter((c) => c.audience === 'business'))
      assert.ok(c.targetGroups.some((g) => g.startsWith('KR2')), `${c.id} is for businesses and says so in its target groups`);
    assert.ok(model.concepts.filter((c) => c.audience === 'business').length >= 4);
  });

  test('it names no catalogue service: no ids, no links', () => {
    for (const file of readdirSync(SITUATIONS_DIR)) {
      const text = readFileSync(join(SITUATIONS_DIR, file), 'utf8');
      assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, `${file} has a UUID`);
      assert.doesNotMatch(text, /https?:\/\//, `${file} has a link`);
    }
  });

  test('it is read from the project’s own data folder, not from ../shared', () => {
    assert.ok(!relative(join(import.meta.dirname, '..', '..', '..'), SITUATIONS_DIR).startsWith('..'));
  });
});

describe('validation', () => {
  test('a valid model builds', () => {
    const built = build([concept('one'), concept('two', { related: ['one'], audience: 'business', crisis: true }), concept('errand', { meters: [] })]);
    assert.equal(built.version, '9');
    assert.deepEqual(built.byId.get('errand')!.meters, [], 'an errand may name no meter');
    assert.equal(built.byId.get('two')!.audience, 'business');
    assert.equal(built.byId.get('one')!.audience, 'person');
    assert.equal(built.byId.get('one')!.crisis, false);
  });

  test('each kind of mistake is named, all at once', () => {
    const problems = problemsOf(() =>
      build([
        concept('one', { serviceClasses: ['P99.9'] }),
        concept('two', { targetGroups: ['KR9'], lifeEvents: ['winning_the_lottery'], related: ['nobody'] }),
        concept('one'),
        concept('three', { phrasings: { fi: ['sama lause', 'toinen'], sv: ['a b', 'c d'], en: ['e f', 'g h'] } }),
        concept('four', { phrasings: { fi: ['Sama lause!', 'kolmas'], sv: ['i j', 'k l'], en: ['m n', 'o p'] } }),
        concept('five', { phrasings: { fi: ['...', 'yksi'], sv: ['q', 'r'], en: ['s', 't'] } }),
        concept('six', { meters: ['housing', 'housing'] }),
      ]),
    );
    const expect = (pattern: RegExp) => assert.ok(problems.some((p) => pattern.test(p)), `${pattern} in\n${problems.join('\n')}`);
    expect(/"one".*unknown service class P99\.9/);
    expect(/"two".*unknown target group KR9/);
    expect(/"two".*unknown life event winning_the_lottery/);
    expect(/"two".*related concept "nobody"/);
    expect(/concept id "one" is used twice/);
    expect(/"four".*"Sama lause!" is also a phrasing of "three"/);
    expect(/"five".*has no words/);
    expect(/"six".*names a meter twice/);
  });

  test('the schema holds: all three languages, phrasings not empty, ids in kebab case', () => {
    const { en: _en, ...noEnglish } = concept('x').phrasings;
    assert.ok(problemsOf(() => build([{ ...concept('x'), phrasings: noEnglish }])).some((p) => /phrasings/.test(p)));
    assert.ok(problemsOf(() => build([concept('y', { phrasings: { fi: [''], sv: ['a'], en: ['b'] } })])).length);
    assert.ok(problemsOf(() => build([concept('y', { phrasings: { fi: [], sv: ['a'], en: ['b'] } })])).length);
    assert.ok(problemsOf(() => build([concept('Not_Kebab')])).some((p) => /id/.test(p)));
    assert.ok(problemsOf(() => build([{ ...concept('z'), serviceId: 'abc' }])).length, 'no field beyond the schema');
  });
});

describe('extensions by an operator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-situations-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a file of extra concepts and additions is loaded over the shipped model', () => {
    const file = join(dir, 'local.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 'mikkeli-1',
        concepts: [concept('snow-ploughing', { phrasings: { fi: ['piha on lumessa enkä jaksa luoda', 'tarvitsen lumitöihin apua'], sv: ['jag behöver hjälp med snöskottning', 'gården är full av snö'], en: ['i need help clearing snow', 'my yard is buried in snow'] } })],
        additions: [{ id: 'lost-job', phrasings: { fi: ['tehdas lopetti ja jäin tyhjän päälle'] }, serviceClasses: ['P10.8'] }],
      }),
    );
    const extended = loadSituationModel({ extraFiles: [file] });
    assert.equal(extended.version, `${model.version}+mikkeli-1`);
    assert.equal(extended.concepts.length, model.concepts.length + 1);
    assert.equal(extended.byId.get('snow-ploughing')!.domain, 'extension');
    assert.ok(extended.byId.get('lost-job')!.phrasings.fi.includes('tehdas lopetti ja jäin tyhjän päälle'));
    assert.ok(!model.byId.get('lost-job')!.phrasings.fi.includes('tehdas lopetti ja jäin tyhjän päälle'), 'the shipped model is untouched');
  });

  test('a bad extension is refused with its file and concept named', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ version: 'x', concepts: [concept('lost-job')], additions: [{ id: 'no-such-concept', phrasings: { fi: ['a'] } }] }));
    const problems = problemsOf(() => loadSituationModel({ extraFiles: [file] }));
    assert.ok(problems.some((p) => p.includes('"lost-job" is used twice')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes(file) && p.includes('no-such-concept')), problems.join('\n'));
    writeFileSync(file, '{ not json');
    assert.ok(problemsOf(() => loadSituationModel({ extraFiles: [file] })).some((p) => p.includes(file)));
  });
});
