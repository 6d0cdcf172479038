import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { Definition, conditionVariables, definitionIssues, questionsOf, type Definition as DefinitionType } from '../src/questionnaires/format.ts';
import { QUESTION_KINDS, addPage, addQuestion, draftForSaving, earlierQuestions, moveQuestion, newDraft, questionOf, readCondition, removePage, removeQuestion, replaceQuestion, writeCondition } from '../web/console/questionnaire-draft.ts';

/**
 * The console editor's draft changes keep a draft the server accepts: whatever an organiser adds,
 * moves, removes and conditions, once its texts are written, the definition meets the schema and
 * has no issues (unique names, conditions on earlier questions only). A simple condition reads back
 * as written and parses with survey-core.
 */

type Step =
  | { op: 'add'; page: number; kind: (typeof QUESTION_KINDS)[number] }
  | { op: 'addPage' }
  | { op: 'removePage'; page: number }
  | { op: 'move'; at: number; by: -1 | 1 }
  | { op: 'remove'; at: number }
  | { op: 'kind'; at: number; kind: (typeof QUESTION_KINDS)[number] }
  | { op: 'condition'; at: number; on: number; is: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), page: fc.nat(5), kind: fc.constantFrom(...QUESTION_KINDS) }),
  fc.constant({ op: 'addPage' as const }),
  fc.record({ op: fc.constant('removePage' as const), page: fc.nat(5) }),
  fc.record({ op: fc.constant('move' as const), at: fc.nat(20), by: fc.constantFrom(-1 as const, 1 as const) }),
  fc.record({ op: fc.constant('remove' as const), at: fc.nat(20) }),
  fc.record({ op: fc.constant('kind' as const), at: fc.nat(20), kind: fc.constantFrom(...QUESTION_KINDS) }),
  fc.record({ op: fc.constant('condition' as const), at: fc.nat(20), on: fc.nat(20), is: fc.boolean() }),
);

function apply(d: DefinitionType, s: Step): DefinitionType {
  const all = questionsOf(d);
  const at = all[s.op === 'add' || s.op === 'addPage' || s.op === 'removePage' ? 0 : s.at % all.length]!;
  switch (s.op) {
    case 'add':
      return addQuestion(d, s.page % d.pages.length, s.kind);
    case 'addPage':
      return addPage(d);
    case 'removePage':
      return removePage(d, s.page % d.pages.length);
    case 'move':
      return moveQuestion(d, at.name, s.by);
    case 'remove':
      return removeQuestion(d, at.name);
    case 'kind':
      return replaceQuestion(d, at.name, questionOf(s.kind, at.name, at));
    case 'condition': {
      const earlier = earlierQuestions(d, at.name).filter((q) => q.type !== 'comment' && q.type !== 'text');
      if (earlier.length === 0) return d;
      const on = earlier[s.on % earlier.length]!;
      const value = on.type === 'rating' ? String(on.rateMin ?? 1) : on.type === 'radiogroup' || on.type === 'checkbox' ? on.choices[0]!.value : '';
      return replaceQuestion(d, at.name, { ...at, visibleIf: writeCondition({ question: on.name, is: s.is, value }, on) });
    }
  }
}

/** Every empty text written, as an organiser does before saving. */
function written(d: DefinitionType): DefinitionType {
  const t = { fi: 'Teksti', sv: 'Text', en: 'Text' };
  return {
    ...d,
    pages: d.pages.map((p) => ({
      ...p,
      elements: p.elements.map((q) => (q.type === 'radiogroup' || q.type === 'checkbox' ? { ...q, title: t, choices: q.choices.map((c) => ({ ...c, text: t })) } : { ...q, title: t })),
    })),
  };
}

describe("the console editor's draft", () => {
  test('any sequence of edits, its texts written, is a draft the server accepts', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const draft = steps.reduce(apply, newDraft({ fi: 'Kysely' }, { fi: 'Miten voit?' }));
        const { definition, missing } = draftForSaving(written(draft));
        assert.deepEqual(missing, []);
        assert.ok(Value.Check(Definition, definition), JSON.stringify([...Value.Errors(Definition, definition)].slice(0, 3)));
        assert.deepEqual(definitionIssues(definition), []);
      }),
      { numRuns: 300 },
    );
  });

  test('texts left empty are named, not sent', () => {
    const draft = addQuestion(newDraft({ fi: 'Kysely' }, { fi: 'Miten voit?' }), 0, 'choice');
    const { missing, definition } = draftForSaving({ ...draft, title: { fi: '  ', sv: '' } });
    assert.deepEqual(missing, ['title', 'q2', 'q2.c1', 'q2.c2']);
    assert.deepEqual(definition.title, {});
  });

  test('a simple condition reads back as written and names its question to survey-core', () => {
    fc.assert(
      fc.property(fc.constantFrom(...QUESTION_KINDS.filter((k) => k !== 'comment' && k !== 'text')), fc.boolean(), fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/), (kind, is, raw) => {
        const on = questionOf(kind, 'q1');
        const value = on.type === 'rating' ? String(raw.length) : raw;
        const expression = writeCondition({ question: 'q1', is, value }, on);
        assert.deepEqual(readCondition(expression), { question: 'q1', is, value });
        const parsed = conditionVariables(expression);
        assert.ok('variables' in parsed, expression);
        assert.deepEqual(parsed.variables, ['q1']);
      }),
    );
    assert.equal(readCondition('{a} > 3 and {b} = 1'), null);
  });

  test('removing a question drops the conditions that named it; the last question of a page stays', () => {
    let d = addQuestion(newDraft({ fi: 'K' }, { fi: 'K' }), 0, 'choice');
    d = replaceQuestion(d, 'q2', { ...questionsOf(d)[1]!, visibleIf: '{q1} = 3' });
    const removed = removeQuestion(d, 'q1');
    assert.deepEqual(questionsOf(removed).map((q) => [q.name, q.visibleIf]), [['q2', undefined]]);
    assert.equal(removeQuestion(removed, 'q2'), removed);
  });
});
