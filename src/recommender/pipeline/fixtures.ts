import type { LocalizedText } from '../../catalogue/model.ts';
import { newServiceDerived, type IndexedService, type ServiceRow } from '../index.ts';

/** Services for the recommender's unit tests: a catalogue row for ServiceIndex.upsert, or an indexed service as ranking sees it. */
export const serviceId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export const serviceRow = (i: number, name: string, summary: string): ServiceRow => ({
  id: serviceId(i),
  content_hash: String(i),
  name: { fi: name },
  alternate_name: {},
  summary: { fi: summary },
  description: {},
  keywords: {},
  nationwide: true,
  municipalities: [],
  service_classes: [],
  service_class_filter: [],
  target_group_filter: [],
  service_collections: [],
  life_events: [],
  funding_type: null,
  languages: ['fi'],
});

export const indexedService = (id: string, name: LocalizedText, summary: LocalizedText = {}): IndexedService => ({
  id,
  hash: '',
  name,
  summary,
  nationwide: true,
  municipalities: [],
  serviceClassFilter: [],
  targetGroupFilter: [],
  serviceCollections: [],
  lifeEvents: [],
  fundingType: null,
  languages: ['fi'],
  features: new Int32Array(),
  weights: new Float32Array(),
  length: 1,
  derived: newServiceDerived(),
});
