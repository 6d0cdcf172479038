import type { Text } from './event-types.ts';

/**
 * Member events: events whose audience is the member organisation itself, not a person. They carry
 * no pairwise subject and need no person's consent (there is no person); the member's own choice
 * (a subscription, and whatever the recording domain asks, such as a follow's opt-in) is what lets
 * one be sent, and only ever to the member's own endpoints. Their data are figures the network has
 * published, never about a person.
 */
export interface MemberEventType {
  name: Text;
  description: Text;
  /** The CloudEvents `type`. */
  cloudEventType: string;
}

export const MEMBER_EVENT_TYPES = {
  'picture-notice': {
    name: { fi: 'Tilannekuvan hälytys', sv: 'Lägesbildens larm', en: 'Situational picture alert' },
    description: {
      fi: 'Organisaatiosi seuraama tilannekuvan luku muuttui vähintään asettamasi kynnyksen verran.',
      sv: 'En siffra i lägesbilden som din organisation följer ändrades minst med den tröskel ni satte.',
      en: 'A figure of the situational picture your organisation follows moved by at least the threshold you set.',
    },
    cloudEventType: 'fi.aurora.picture.notice',
  },
} as const satisfies Record<string, MemberEventType>;

export type MemberEventTypeName = keyof typeof MEMBER_EVENT_TYPES;
export const MEMBER_EVENT_TYPE_NAMES = Object.keys(MEMBER_EVENT_TYPES) as MemberEventTypeName[];

export const isMemberEventType = (value: string): value is MemberEventTypeName => Object.hasOwn(MEMBER_EVENT_TYPES, value);
