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
