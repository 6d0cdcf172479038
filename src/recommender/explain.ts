import { codeLists } from '../catalogue/codelists.ts';
import type { Language } from '../catalogue/model.ts';
import { LIFE_EVENTS, type LifeEvent } from './life-events.ts';
import { METER_TEXTS, type Meter } from './meters.ts';

/** Why a service was recommended, as data; `explanationText` says it to a person in fi, sv or en. */
export type Reason =
  | { kind: 'situation'; situation: string; said: Record<Language, string>; terms: string[] }
  | { kind: 'meter'; meter: Meter; value: number; terms: string[] }
  | { kind: 'text'; terms: string[] }
  | { kind: 'life_event'; life_event: LifeEvent; terms: string[] }
  | { kind: 'target_group'; target_group: string }
  | { kind: 'feedback'; direction: 'up' | 'down'; signals: number };

const quote = (terms: string[], lang: Language) => {
  const q = terms.map((t) => (lang === 'en' ? `“${t}”` : `”${t}”`));
  if (q.length <= 1) return q.join('');
  const and = { fi: 'ja', sv: 'och', en: 'and' }[lang];
  return `${q.slice(0, -1).join(', ')} ${and} ${q[q.length - 1]}`;
};

export function reasonText(reason: Reason, lang: Language): string {
  switch (reason.kind) {
    case 'situation': {
      const about = reason.terms.length ? quote(reason.terms, lang) : null;
      const said = reason.said[lang];
      if (lang === 'fi') return about ? `${said}: tämä palvelu liittyy aiheisiin ${about}.` : `${said}: tämä palvelu on tarkoitettu siihen tilanteeseen.`;
      if (lang === 'sv') return about ? `${said}: tjänsten handlar om ${about}.` : `${said}: tjänsten är avsedd för den situationen.`;
      return about ? `${said}: this service deals with ${about}.` : `${said}: this service is meant for that situation.`;
    }
    case 'meter': {
      const name = METER_TEXTS[reason.meter].name[lang];
      const about = reason.terms.length ? quote(reason.terms, lang) : null;
      if (lang === 'fi')
        return `Arvioit osa-alueen ”${name}” arvoon ${reason.value}/10${about ? `: tämä palvelu liittyy aiheisiin ${about}` : ''}.`;
      if (lang === 'sv') return `Du gav området ”${name}” ${reason.value}/10${about ? `: tjänsten handlar om ${about}` : ''}.`;
      return `You rated “${name}” ${reason.value}/10${about ? `: this service deals with ${about}` : ''}.`;
    }
    case 'text': {
      if (reason.terms.length === 0)
        return { fi: 'Palvelun kuvaus vastaa kirjoittamaasi.', sv: 'Tjänstens beskrivning motsvarar det du skrev.', en: "The service's description matches what you wrote." }[lang];
      const about = quote(reason.terms, lang);
      if (lang === 'fi') return `Palvelun kuvaus vastaa hakuasi: ${about}.`;
      if (lang === 'sv') return `Tjänstens beskrivning motsvarar din sökning: ${about}.`;
      return `The service's description matches your search: ${about}.`;
    }
    case 'life_event': {
      const name = LIFE_EVENTS[reason.life_event].name[lang];
      const about = reason.terms.length ? quote(reason.terms, lang) : null;
      if (lang === 'fi') return `Elämäntapahtuma ”${name}”${about ? `: palvelu liittyy aiheisiin ${about}` : ''}.`;
      if (lang === 'sv') return `Livshändelsen ”${name}”${about ? `: tjänsten handlar om ${about}` : ''}.`;
      return `Life event “${name}”${about ? `: this service deals with ${about}` : ''}.`;
    }
    case 'target_group': {
      const group = codeLists().targetGroupByCode.get(reason.target_group)?.name[lang]?.toLocaleLowerCase(lang) ?? reason.target_group;
      return { fi: `Palvelu on tarkoitettu kohderyhmälle ”${group}”.`, sv: `Tjänsten är avsedd för målgruppen ”${group}”.`, en: `The service is meant for ${group}.` }[lang];
    }
    case 'feedback':
      if (reason.direction === 'up')
        return {
          fi: 'Samankaltaisessa tilanteessa olleet ja palveluntuottajat ovat pitäneet tätä palvelua sopivana.',
          sv: 'Personer i en liknande situation och tjänsteproducenter har funnit tjänsten lämplig.',
          en: 'People in a similar situation and service providers have found this service fitting.',
        }[lang];
      return {
        fi: 'Palautteen perusteella palvelu sopii tähän tilanteeseen tavallista huonommin.',
        sv: 'Enligt respons passar tjänsten sämre än vanligt i den här situationen.',
        en: 'Feedback says this service fits this situation less well than usual.',
      }[lang];
  }
}

export function explanationText(reasons: Reason[], lang: Language): string {
  return reasons.map((r) => reasonText(r, lang)).join(' ');
}
