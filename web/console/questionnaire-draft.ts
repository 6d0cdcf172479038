import type { Definition, LocalizableString, Question } from '../../src/questionnaires/format.ts';

/**
 * The console editor's changes to a questionnaire draft, as pure functions of the SurveyJS
 * definition the API keeps (src/questionnaires/format.ts): new questions with unused names, moving
 * and removing them, and the "show only when question X is / is not Y" condition read from and
 * written to SurveyJS's expression.
 */

export type QuestionKind = 'scale' | 'meter' | 'choice' | 'choices' | 'comment' | 'text';
export const QUESTION_KINDS: QuestionKind[] = ['scale', 'meter', 'choice', 'choices', 'comment', 'text'];

export function kindOf(q: Question): QuestionKind {
  if (q.type === 'rating') return q.meter !== undefined ? 'meter' : 'scale';
  if (q.type === 'radiogroup') return 'choice';
  if (q.type === 'checkbox') return 'choices';
  return q.type;
}

const names = (d: Definition) => new Set([...d.pages.map((p) => p.name), ...d.pages.flatMap((p) => p.elements.map((q) => q.name))]);

/** The first of prefix1, prefix2… not taken. */
export function unusedName(taken: Set<string>, prefix: string): string {
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** A question of the kind, keeping what carries over from `from` (its name, title, required, condition). */
export function questionOf(kind: QuestionKind, name: string, from?: Question): Question {
  const common = { name, title: from?.title ?? {}, ...(from?.isRequired ? { isRequired: true } : {}), ...(from?.visibleIf ? { visibleIf: from.visibleIf } : {}) } as Pick<Question, 'name' | 'title' | 'isRequired' | 'visibleIf'>;
  const choices = from && (from.type === 'radiogroup' || from.type === 'checkbox') ? from.choices : [{ value: 'c1', text: {} }, { value: 'c2', text: {} }];
  switch (kind) {
    case 'scale':
      return { type: 'rating', ...common, rateMin: 1, rateMax: 5 };
    case 'meter':
      return { type: 'rating', ...common, rateMin: 0, rateMax: 10, meter: 'life_satisfaction' };
    case 'choice':
      return { type: 'radiogroup', ...common, choices };
    case 'choices':
      return { type: 'checkbox', ...common, choices };
    case 'comment':
      return { type: 'comment', ...common };
    case 'text':
      return { type: 'text', ...common };
  }
}

/** A new draft: its title and a first question, a 3X10D meter question (life as a whole), in the writer's language. */
export function newDraft(title: LocalizableString, firstQuestion: LocalizableString): Definition {
  return { title, pages: [{ name: 'page1', elements: [{ ...questionOf('meter', 'q1'), title: firstQuestion }] }] };
}

export function addQuestion(d: Definition, page: number, kind: QuestionKind): Definition {
  const q = questionOf(kind, unusedName(names(d), 'q'));
  return { ...d, pages: d.pages.map((p, i) => (i === page ? { ...p, elements: [...p.elements, q] } : p)) };
}

export function addPage(d: Definition): Definition {
  const taken = names(d);
  const page = unusedName(taken, 'page');
  taken.add(page);
  return { ...d, pages: [...d.pages, { name: page, elements: [questionOf('scale', unusedName(taken, 'q'))] }] };
}

export function removePage(d: Definition, page: number): Definition {
  if (d.pages.length < 2) return d;
  return withoutDanglingConditions({ ...d, pages: d.pages.filter((_, i) => i !== page) });
}

export function replaceQuestion(d: Definition, name: string, q: Question): Definition {
  return { ...d, pages: d.pages.map((p) => ({ ...p, elements: p.elements.map((e) => (e.name === name ? q : e)) })) };
}

/** Moves a question one place up or down within its page; conditions that would then name a later question are dropped. */
export function moveQuestion(d: Definition, name: string, by: -1 | 1): Definition {
  const pages = d.pages.map((p) => {
    const i = p.elements.findIndex((e) => e.name === name);
    const j = i + by;
    if (i < 0 || j < 0 || j >= p.elements.length) return p;
    const elements = [...p.elements];
    [elements[i], elements[j]] = [elements[j]!, elements[i]!];
    return { ...p, elements };
  });
  return withoutDanglingConditions({ ...d, pages });
}

/** Removes a question, and the conditions of later questions that named it (SurveyJS would hide them for good). */
export function removeQuestion(d: Definition, name: string): Definition {
  const pages = d.pages.map((p) => ({ ...p, elements: p.elements.filter((e) => e.name !== name) }));
  if (pages.some((p) => p.elements.length === 0)) return d;
  return withoutDanglingConditions({ ...d, pages });
}

/** The question names a condition mentions, as {name} (what the editor writes and reads). */
const mentioned = (expression: string) => [...expression.matchAll(/\{([A-Za-z][A-Za-z0-9_-]*)/g)].map((m) => m[1]!);

function withoutDanglingConditions(d: Definition): Definition {
  const earlier = new Set<string>();
  const pages = d.pages.map((p) => ({
    ...p,
    elements: p.elements.map((q) => {
      let result = q;
      if (q.visibleIf && !mentioned(q.visibleIf).every((n) => earlier.has(n))) {
        const { visibleIf: _dropped, ...rest } = q;
        result = rest as Question;
      }
      earlier.add(q.name);
      return result;
    }),
  }));
  return { ...d, pages };
}

export interface SimpleCondition {
  question: string;
  is: boolean;
  value: string;
}

/** "{q} = 'v'", "{q} <> 'v'", "{q} = 3" (a scale), "{q} contains 'v'" (several choices) as the simple control shows it; null for anything else. */
export function readCondition(expression: string | undefined): SimpleCondition | null {
  if (!expression) return null;
  const m = /^\s*\{([A-Za-z][A-Za-z0-9_-]*)\}\s*(=|<>|!=|contains|notcontains)\s*(?:'([^'\\]*)'|(-?\d+))\s*$/.exec(expression);
  if (!m) return null;
  return { question: m[1]!, is: m[2] === '=' || m[2] === 'contains', value: m[3] ?? m[4]! };
}

/** The SurveyJS expression of a simple condition on the question `on`. */
export function writeCondition(c: SimpleCondition, on: Question | undefined): string {
  if (on?.type === 'rating') return `{${c.question}} ${c.is ? '=' : '<>'} ${Number.parseInt(c.value, 10) || 0}`;
  const value = `'${c.value.replace(/['\\]/g, '')}'`;
  if (on?.type === 'checkbox') return `{${c.question}} ${c.is ? 'contains' : 'notcontains'} ${value}`;
  return `{${c.question}} ${c.is ? '=' : '<>'} ${value}`;
}

/** The questions before `name` across pages: those a condition may name. */
export function earlierQuestions(d: Definition, name: string): Question[] {
  const all = d.pages.flatMap((p) => p.elements);
  return all.slice(0, Math.max(0, all.findIndex((q) => q.name === name)));
}

/** Texts with their empty languages left out; undefined when none is left (the schema wants at least one). */
export function trimmed(text: LocalizableString | undefined): LocalizableString | undefined {
  if (!text) return undefined;
  const kept = Object.fromEntries(Object.entries(text).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, v!.trim()]));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * The draft as the API takes it: empty texts left out. `missing` names the question (or `title`,
 * or `question.choice`) whose text the schema needs in at least one language.
 */
export function draftForSaving(d: Definition): { definition: Definition; missing: string[] } {
  const missing: string[] = [];
  const need = (path: string, text: LocalizableString | undefined) => {
    const t = trimmed(text);
    if (!t) missing.push(path);
    return t ?? {};
  };
  const optional = <K extends string>(key: K, text: LocalizableString | undefined) => {
    const t = trimmed(text);
    return (t ? { [key]: t } : {}) as Partial<Record<K, LocalizableString>>;
  };
  const definition: Definition = {
    ...d,
    title: need('title', d.title),
    ...optional('description', d.description),
    pages: d.pages.map((p) => {
      const { title: _t, description: _d, ...page } = p;
      return {
        ...page,
        ...optional('title', p.title),
        ...optional('description', p.description),
        elements: p.elements.map((q) => {
          const { description: _qd, ...rest } = q;
          const base = { ...rest, title: need(q.name, q.title), ...optional('description', q.description) } as Question;
          if (base.type === 'radiogroup' || base.type === 'checkbox') base.choices = base.choices.map((c) => ({ ...c, text: need(`${q.name}.${c.value}`, c.text) }));
          if (base.type === 'rating') {
            const { minRateDescription: _min, maxRateDescription: _max, ...r } = base;
            return { ...r, ...optional('minRateDescription', base.minRateDescription), ...optional('maxRateDescription', base.maxRateDescription) } as Question;
          }
          return base;
        }),
      };
    }),
  };
  return { definition, missing };
}
