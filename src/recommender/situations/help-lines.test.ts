import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSituationModel } from './model.ts';
import { helpLinesFor, helpLinesOf, loadHelpLines, presentHelpLine, type HelpLine } from './help-lines.ts';
import { RecommenderService } from '../service.ts';

test('the shipped help lines are valid, speak three languages and name only concepts of the model', () => {
  const lines = loadHelpLines();
  const model = loadSituationModel();
  assert.ok(lines.some((l) => l.kind === 'emergency' && l.phone.fi === '112' && l.crisis));
  assert.ok(lines.some((l) => l.whenNothingFits));
  for (const line of lines) for (const id of line.concepts) assert.ok(model.byId.has(id), `${line.id} names ${id}, which the model lacks`);
});

test('a crisis gets 112 first and the lines of its situations; nothing fitting gets the advice line; otherwise none', () => {
  const lines = loadHelpLines();
  const crisis = helpLinesFor(lines, { crisis: true, nothingFits: false, situations: ['violence-now'] });
  assert.equal(crisis[0]?.id, 'emergency-112');
  assert.ok(crisis.some((l) => l.id === 'nollalinja'));
  assert.ok(!crisis.some((l) => l.kind === 'advice'));
  const nothing = helpLinesFor(lines, { crisis: false, nothingFits: true, situations: [] });
  assert.deepEqual(nothing.map((l) => l.kind), ['advice']);
  assert.deepEqual(helpLinesFor(lines, { crisis: false, nothingFits: false, situations: ['depression'] }), []);
  assert.equal(presentHelpLine(lines.find((l) => l.id === 'mieli-crisis-line')!, 'sv').phone, '09 2525 0112', 'the number of the person’s language');
});

test('a help-line file that is not valid is refused with what is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'help-lines-'));
  const file = join(dir, 'lines.json');
  writeFileSync(file, JSON.stringify({ version: '1', lines: [{ id: 'x', kind: 'hotline', name: { fi: 'a' } }] }));
  assert.throws(() => loadHelpLines(file), /not a valid help-line file[\s\S]*\/lines\/0/);
});

test("a municipality's own line serves only its people, before the national line of its kind", () => {
  const shipped = loadHelpLines();
  const national = shipped.find((l) => l.kind === 'advice')!;
  const local: HelpLine = { ...national, id: 'turku-advice', municipalities: ['853', '202'] };
  const lines = [national, local];
  assert.deepEqual(helpLinesOf(lines, { municipality: '853', kind: 'advice' }).map((l) => l.id), ['turku-advice', national.id]);
  assert.deepEqual(helpLinesOf(lines, { municipality: '491', kind: 'advice' }).map((l) => l.id), [national.id]);
  assert.deepEqual(helpLinesOf(lines, { kind: 'advice' }).map((l) => l.id), [national.id]);
  assert.deepEqual(helpLinesOf(lines, { municipality: '853', kind: 'crisis' }), []);
  const nothing = (municipality?: string) => helpLinesFor(lines, { crisis: false, nothingFits: true, situations: [], municipality }).map((l) => l.id);
  assert.deepEqual(nothing('202'), ['turku-advice', national.id]);
  assert.deepEqual(nothing('091'), [national.id]);
  assert.deepEqual(presentHelpLine(local, 'fi').municipalities, ['853', '202']);
  assert.equal(presentHelpLine(national, 'fi').municipalities, null);
});

test('a help line naming a municipality code that does not exist is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'help-lines-'));
  const file = join(dir, 'lines.json');
  const line = { ...loadHelpLines()[0]!, id: 'somewhere', municipalities: ['491', '999'] };
  writeFileSync(file, JSON.stringify({ version: '1', lines: [line] }));
  assert.throws(() => loadHelpLines(file), /\/lines\/0\/municipalities: 999 is not a municipality code/);
  writeFileSync(file, JSON.stringify({ version: '1', lines: [{ ...line, municipalities: [] }] }));
  assert.throws(() => loadHelpLines(file), /not a valid help-line file/, 'an empty list would serve nobody');
});

test("AURORA_SITUATIONS_FILE extends the running recommender's situation model", () => {
  const dir = mkdtempSync(join(tmpdir(), 'situations-'));
  const file = join(dir, 'mikkeli.json');
  writeFileSync(file, JSON.stringify({ version: 'mikkeli-1', additions: [{ id: 'lost-job', phrasings: { fi: ['tehdas lopetti ja jäin tyhjän päälle'] } }] }));
  const before = process.env.AURORA_SITUATIONS_FILE;
  process.env.AURORA_SITUATIONS_FILE = file;
  try {
    const service = new RecommenderService(undefined as never);
    assert.match(service.recommender.situations.model.version, /\+mikkeli-1$/);
    assert.equal(service.recommender.situations.understand('tehdas lopetti ja jäin tyhjän päälle').concepts[0]?.concept.id, 'lost-job');
    service.stop();
  } finally {
    if (before === undefined) delete process.env.AURORA_SITUATIONS_FILE;
    else process.env.AURORA_SITUATIONS_FILE = before;
  }
});
