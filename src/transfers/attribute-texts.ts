import type { Language } from '../catalogue/model.ts';
import { METERS, METER_NAMES } from '../recommender/meter-names.ts';
import { ATTRIBUTES } from './attributes.ts';

/**
 * What each attribute of the registry is, in words a person reads before agreeing to send it: a
 * short title and one or two plain sentences on what is sent and why a service would want it.
 * Every attribute of the registry must have both in Finnish, Swedish and English (a test checks).
 */

export type Texts = Record<Language, string>;

export interface AttributeTexts {
  title: Texts;
  description: Texts;
}

// The areas by the names the check and its chart give them, so the consent form speaks of the same areas.
const areas = (lang: Language) => METERS.map((m) => (lang === 'en' ? `“${METER_NAMES[m][lang]}”` : `”${METER_NAMES[m][lang]}”`)).join(', ');

export const ATTRIBUTE_TEXTS: Readonly<Record<string, AttributeTexts>> = {
  age: {
    title: { fi: 'Ikä', sv: 'Ålder', en: 'Age' },
    description: {
      fi: 'Ikäsi vuosina. Palvelu näkee siitä, mitkä sen palveluista on tarkoitettu kaltaisellesi.',
      sv: 'Din ålder i år. Tjänsten ser av den vilka av dess tjänster som är avsedda för någon som du.',
      en: 'Your age in years. It shows the service which of its services are meant for someone like you.',
    },
  },
  municipality_code: {
    title: { fi: 'Kotikunta', sv: 'Hemkommun', en: 'Home municipality' },
    description: {
      fi: 'Kunta, jossa asut (Tilastokeskuksen kuntanumero). Palvelu näkee siitä, mitkä alueesi palvelut koskevat sinua.',
      sv: 'Kommunen där du bor (Statistikcentralens kommunnummer). Tjänsten ser av den vilka tjänster i ditt område som gäller dig.',
      en: 'The municipality you live in (its Statistics Finland number). It shows the service which services in your area apply to you.',
    },
  },
  life_situation_meters: {
    title: { fi: 'Elämäntilanteesi arviot', sv: 'Dina bedömningar av din livssituation', en: 'Your life situation ratings' },
    description: {
      fi: `Arviot, jotka annoit elämäsi osa-alueille asteikolla 0–10: ${areas('fi')}. Palvelu näkee niistä, missä kaipaat tukea, eikä sinun tarvitse kertoa samaa uudelleen.`,
      sv: `Bedömningarna du gav olika delar av ditt liv på skalan 0–10: ${areas('sv')}. Tjänsten ser av dem var du behöver stöd, och du behöver inte berätta samma sak på nytt.`,
      en: `The ratings you gave areas of your life on a scale of 0–10: ${areas('en')}. They show the service where you would like support, so you do not have to tell it all again.`,
    },
  },
  tampere_demo_flag: {
    title: { fi: 'Tampereen kokeilun merkintä', sv: 'Markering från försöket i Tammerfors', en: 'Tampere trial marker' },
    description: {
      fi: 'Tekninen kyllä/ei-merkintä AuroraAI-ohjelman Tampereen kokeilusta. Se ei kerro sinusta mitään.',
      sv: 'En teknisk ja/nej-markering från AuroraAI-programmets försök i Tammerfors. Den säger ingenting om dig.',
      en: 'A technical yes/no marker from the AuroraAI programme’s trial in Tampere. It says nothing about you.',
    },
  },
};

/** The registry with its texts, in registry order; an attribute without texts gets its name (and the test fails). */
export function describedAttributes() {
  return [...ATTRIBUTES.values()].map((a) => {
    const texts = ATTRIBUTE_TEXTS[a.name];
    const fallback = { fi: a.name, sv: a.name, en: a.name };
    return { name: a.name, title: texts?.title ?? fallback, description: texts?.description ?? fallback, schema: a.schema };
  });
}
