/**
 * The life events the network knows, with what a person reads about them in fi, sv and en, and the
 * only fields an event of the type may carry: events say that something happened, never who the
 * person is (no identity code, no name) and no more than a service needs to offer help.
 */
export interface Text {
  fi: string;
  sv: string;
  en: string;
}

export interface EventType {
  name: Text;
  description: Text;
  /** The `data` fields an event of this type may carry (each a short string). */
  fields: readonly string[];
}

export const EVENT_TYPES = {
  moved: {
    name: { fi: 'Muutto', sv: 'Flytt', en: 'Moved' },
    description: {
      fi: 'Muutit uuteen osoitteeseen. Uuden kotikunnan palvelut voivat kertoa, mitä sinulle on tarjolla.',
      sv: 'Du flyttade till en ny adress. Tjänster i din nya hemkommun kan berätta vad de erbjuder dig.',
      en: 'You moved to a new address. Services in your new home municipality can tell you what they offer.',
    },
    fields: ['municipality'],
  },
  'child-born': {
    name: { fi: 'Lapsi syntyi', sv: 'Ett barn föddes', en: 'A child was born' },
    description: {
      fi: 'Perheeseesi syntyi lapsi. Perheitä auttavat palvelut voivat ottaa sinuun yhteyttä.',
      sv: 'Ett barn föddes i din familj. Tjänster som hjälper familjer kan kontakta dig.',
      en: 'A child was born in your family. Services that help families can contact you.',
    },
    fields: [],
  },
  'income-changed': {
    name: { fi: 'Tulot muuttuivat', sv: 'Inkomsterna ändrades', en: 'Income changed' },
    description: {
      fi: 'Tulosi nousivat tai laskivat selvästi. Etuuksia ja neuvontaa tarjoavat palvelut voivat kertoa, mihin olet oikeutettu.',
      sv: 'Dina inkomster steg eller sjönk tydligt. Tjänster för förmåner och rådgivning kan berätta vad du har rätt till.',
      en: 'Your income clearly rose or fell. Services for benefits and advice can tell you what you are entitled to.',
    },
    fields: ['direction'],
  },
  'started-studies': {
    name: { fi: 'Opinnot alkoivat', sv: 'Studierna började', en: 'Started studies' },
    description: {
      fi: 'Aloitit opinnot. Opiskelijoita auttavat palvelut voivat kertoa tuesta ja asumisesta.',
      sv: 'Du började studera. Tjänster för studerande kan berätta om stöd och boende.',
      en: 'You started studying. Services for students can tell you about support and housing.',
    },
    fields: [],
  },
  unemployed: {
    name: { fi: 'Työttömyys', sv: 'Arbetslöshet', en: 'Unemployed' },
    description: {
      fi: 'Jäit työttömäksi. Työllisyyspalvelut ja toimeentulon neuvonta voivat auttaa.',
      sv: 'Du blev arbetslös. Sysselsättningstjänster och rådgivning om utkomst kan hjälpa.',
      en: 'You became unemployed. Employment services and advice on income can help.',
    },
    fields: [],
  },
  'death-of-close-relative': {
    name: { fi: 'Läheisen kuolema', sv: 'En närståendes död', en: 'Death of a close relative' },
    description: {
      fi: 'Läheisesi kuoli. Palvelut voivat auttaa käytännön asioissa ja surussa.',
      sv: 'En närstående till dig dog. Tjänster kan hjälpa med praktiska saker och i sorgen.',
      en: 'Someone close to you died. Services can help with practical matters and with grief.',
    },
    fields: [],
  },
} as const satisfies Record<string, EventType>;

export type EventTypeName = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventTypeName[];

export const isEventType = (value: string): value is EventTypeName => Object.hasOwn(EVENT_TYPES, value);

/** The CloudEvents `type` of a life event: reverse-DNS, as the CloudEvents spec recommends. */
export const cloudEventType = (type: EventTypeName) => `fi.aurora.life-event.${type}`;
