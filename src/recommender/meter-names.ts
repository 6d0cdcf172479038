/**
 * The ten life-situation meters of the 3X10D model, in the order people are asked them, as the API
 * names them. Apart from their texts (meters.ts), so that the web apps can share the list without
 * bundling the recommender's profiles.
 */
export const METERS = [
  'health',
  'resilience',
  'housing',
  'working_studying',
  'family',
  'friends',
  'finance',
  'improvement_of_strengths',
  'self_esteem',
  'life_satisfaction',
] as const;
export type Meter = (typeof METERS)[number];

/**
 * Each area's one name per language, wherever a person meets it: the check, its chart, the reasons
 * a service was recommended, the consent form and receipts, the console's statistics. One place so
 * that "Arjessa pärjääminen" in the chart is not "arjessa selviytyminen" in a reason (issue #14).
 * Written as a heading would be (capital first); sentences quote it as it is.
 */
export const METER_NAMES: Record<Meter, { fi: string; sv: string; en: string }> = {
  health: { fi: 'Terveys', sv: 'Hälsa', en: 'Health' },
  resilience: { fi: 'Arjessa pärjääminen', sv: 'Att klara vardagen', en: 'Coping with everyday life' },
  housing: { fi: 'Asuminen', sv: 'Boende', en: 'Housing' },
  working_studying: { fi: 'Työ ja opiskelu', sv: 'Arbete och studier', en: 'Work and studies' },
  family: { fi: 'Perhe', sv: 'Familj', en: 'Family' },
  friends: { fi: 'Ystävät', sv: 'Vänner', en: 'Friends' },
  finance: { fi: 'Talous', sv: 'Ekonomi', en: 'Finances' },
  improvement_of_strengths: { fi: 'Omien vahvuuksien kehittäminen', sv: 'Att utveckla sina styrkor', en: 'Developing my strengths' },
  self_esteem: { fi: 'Itsetunto', sv: 'Självkänsla', en: 'Self-esteem' },
  life_satisfaction: { fi: 'Elämä kokonaisuutena', sv: 'Livet som helhet', en: 'Life as a whole' },
};
