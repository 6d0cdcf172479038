import type { Language } from '../shared/i18n.ts';
import { METERS, METER_NAMES, type Meter } from '../../src/recommender/meter-names.ts';

export { METERS, METER_NAMES, type Meter };
export type Meters = Partial<Record<Meter, number>>;

interface MeterText {
  /** Short name of the area of life: METER_NAMES, the one name used everywhere. */
  name: string;
  /** The question, answered 0 (very dissatisfied) to 10 (very satisfied). */
  question: string;
  /** What the area covers, in plain language. */
  explanation: string;
}

/** The questions and explanations; `plain` is plain Finnish (selkokieli) for the explanations. */
export const METER_TEXTS: Record<Language | 'plain', Record<Meter, MeterText>> = {
  fi: {
    health: { name: METER_NAMES.health.fi, question: 'Kuinka tyytyväinen olet terveyteesi?', explanation: 'Sekä kehon että mielen terveys: sairaudet, jaksaminen, uni, liikunta ja ravinto.' },
    resilience: { name: METER_NAMES.resilience.fi, question: 'Kuinka hyvin pärjäät arjessasi?', explanation: 'Miten arkiset asiat sujuvat: kodin hoito, asioiden hoitaminen, vaikeista tilanteista selviäminen ja oma jaksaminen.' },
    housing: { name: METER_NAMES.housing.fi, question: 'Kuinka tyytyväinen olet asumiseesi?', explanation: 'Onko sinulla sopiva ja turvallinen koti, jonka pystyt pitämään: asunto, vuokra, asuinalue ja kotona viihtyminen.' },
    working_studying: { name: METER_NAMES.working_studying.fi, question: 'Kuinka tyytyväinen olet työhösi tai opiskeluusi?', explanation: 'Työ, työnhaku, opiskelu tai muu päivien sisältö, ja se, onko sinulla siinä hyvä olla.' },
    family: { name: METER_NAMES.family.fi, question: 'Kuinka tyytyväinen olet perhesuhteisiisi?', explanation: 'Välit perheenjäseniin ja läheisiin: vanhemmat, lapset, puoliso ja muu perhe, myös eroon tai vanhemmuuteen liittyvät asiat.' },
    friends: { name: METER_NAMES.friends.fi, question: 'Kuinka tyytyväinen olet ystävyyssuhteisiisi?', explanation: 'Onko sinulla ystäviä ja ihmisiä, joiden kanssa viettää aikaa, vai tunnetko itsesi yksinäiseksi.' },
    finance: { name: METER_NAMES.finance.fi, question: 'Kuinka tyytyväinen olet taloudelliseen tilanteeseesi?', explanation: 'Riittävätkö rahat elämiseen: tulot, laskut, velat ja tuet.' },
    improvement_of_strengths: { name: METER_NAMES.improvement_of_strengths.fi, question: 'Kuinka tyytyväinen olet mahdollisuuksiisi kehittää itseäsi ja vahvuuksiasi?', explanation: 'Voitko oppia uutta, harrastaa ja tehdä asioita, joissa olet hyvä tai joista pidät.' },
    self_esteem: { name: METER_NAMES.self_esteem.fi, question: 'Kuinka tyytyväinen olet itseesi?', explanation: 'Miten arvostat itseäsi ja luotatko omiin kykyihisi.' },
    life_satisfaction: { name: METER_NAMES.life_satisfaction.fi, question: 'Kuinka tyytyväinen olet elämääsi kokonaisuutena?', explanation: 'Kokonaisarvio elämästäsi juuri nyt, kaikki asiat yhdessä.' },
  },
  plain: {
    health: { name: METER_NAMES.health.fi, question: 'Kuinka tyytyväinen olet terveyteesi?', explanation: 'Voitko hyvin? Tämä kysymys koskee kehoa ja mieltä. Mieti esimerkiksi, oletko sairas, nukutko hyvin ja jaksatko.' },
    resilience: { name: METER_NAMES.resilience.fi, question: 'Kuinka hyvin pärjäät arjessasi?', explanation: 'Arki on tavallisia päiviä. Pystytkö hoitamaan asiasi? Pystytkö siivoamaan, laittamaan ruokaa ja maksamaan laskut?' },
    housing: { name: METER_NAMES.housing.fi, question: 'Kuinka tyytyväinen olet asumiseesi?', explanation: 'Onko sinulla koti? Onko kotisi hyvä ja turvallinen? Pystytkö maksamaan vuokran?' },
    working_studying: { name: METER_NAMES.working_studying.fi, question: 'Kuinka tyytyväinen olet työhösi tai opiskeluusi?', explanation: 'Onko sinulla työ tai opiskelupaikka? Onko sinulla siellä hyvä olla? Jos sinulla ei ole työtä, haluaisitko työn?' },
    family: { name: METER_NAMES.family.fi, question: 'Kuinka tyytyväinen olet perhesuhteisiisi?', explanation: 'Perhe on esimerkiksi vanhemmat, lapset ja puoliso. Ovatko välinne hyvät?' },
    friends: { name: METER_NAMES.friends.fi, question: 'Kuinka tyytyväinen olet ystävyyssuhteisiisi?', explanation: 'Onko sinulla ystäviä? Tapaatko ihmisiä? Oletko usein yksin, vaikka et haluaisi?' },
    finance: { name: METER_NAMES.finance.fi, question: 'Kuinka tyytyväinen olet taloudelliseen tilanteeseesi?', explanation: 'Onko sinulla tarpeeksi rahaa? Pystytkö maksamaan laskut? Onko sinulla velkaa?' },
    improvement_of_strengths: { name: METER_NAMES.improvement_of_strengths.fi, question: 'Kuinka tyytyväinen olet mahdollisuuksiisi kehittää itseäsi ja vahvuuksiasi?', explanation: 'Voitko oppia uusia asioita? Voitko tehdä asioita, joista pidät tai joissa olet hyvä?' },
    self_esteem: { name: METER_NAMES.self_esteem.fi, question: 'Kuinka tyytyväinen olet itseesi?', explanation: 'Pidätkö itsestäsi? Uskotko, että osaat ja pystyt?' },
    life_satisfaction: { name: METER_NAMES.life_satisfaction.fi, question: 'Kuinka tyytyväinen olet elämääsi kokonaisuutena?', explanation: 'Mieti koko elämääsi juuri nyt. Onko elämäsi hyvää?' },
  },
  sv: {
    health: { name: METER_NAMES.health.sv, question: 'Hur nöjd är du med din hälsa?', explanation: 'Både kroppens och sinnets hälsa: sjukdomar, ork, sömn, motion och kost.' },
    resilience: { name: METER_NAMES.resilience.sv, question: 'Hur väl klarar du din vardag?', explanation: 'Hur vardagliga saker går: att sköta hemmet och sina ärenden, att klara svåra situationer och att orka.' },
    housing: { name: METER_NAMES.housing.sv, question: 'Hur nöjd är du med ditt boende?', explanation: 'Om du har ett lämpligt och tryggt hem som du har råd med: bostad, hyra, bostadsområde och trivsel.' },
    working_studying: { name: METER_NAMES.working_studying.sv, question: 'Hur nöjd är du med ditt arbete eller dina studier?', explanation: 'Arbete, jobbsökande, studier eller annat innehåll i dagarna, och om du mår bra i det.' },
    family: { name: METER_NAMES.family.sv, question: 'Hur nöjd är du med dina familjerelationer?', explanation: 'Relationerna till familjen och närstående: föräldrar, barn, partner och övrig familj, också frågor kring skilsmässa eller föräldraskap.' },
    friends: { name: METER_NAMES.friends.sv, question: 'Hur nöjd är du med dina vänskapsrelationer?', explanation: 'Om du har vänner och människor att umgås med, eller om du känner dig ensam.' },
    finance: { name: METER_NAMES.finance.sv, question: 'Hur nöjd är du med din ekonomiska situation?', explanation: 'Om pengarna räcker till livet: inkomster, räkningar, skulder och stöd.' },
    improvement_of_strengths: { name: METER_NAMES.improvement_of_strengths.sv, question: 'Hur nöjd är du med dina möjligheter att utveckla dig själv och dina styrkor?', explanation: 'Om du kan lära dig nytt, ha hobbyer och göra saker som du är bra på eller tycker om.' },
    self_esteem: { name: METER_NAMES.self_esteem.sv, question: 'Hur nöjd är du med dig själv?', explanation: 'Hur du värderar dig själv och om du litar på din förmåga.' },
    life_satisfaction: { name: METER_NAMES.life_satisfaction.sv, question: 'Hur nöjd är du med ditt liv som helhet?', explanation: 'En helhetsbedömning av ditt liv just nu, allt tillsammans.' },
  },
  en: {
    health: { name: METER_NAMES.health.en, question: 'How satisfied are you with your health?', explanation: 'The health of body and mind: illnesses, energy, sleep, exercise and food.' },
    resilience: { name: METER_NAMES.resilience.en, question: 'How well do you cope with your everyday life?', explanation: 'How everyday things go: looking after your home and your affairs, getting through hard times, and having the energy for it.' },
    housing: { name: METER_NAMES.housing.en, question: 'How satisfied are you with your housing?', explanation: 'Whether you have a suitable, safe home you can afford: the flat, the rent, the area and feeling at home.' },
    working_studying: { name: METER_NAMES.working_studying.en, question: 'How satisfied are you with your work or studies?', explanation: 'Work, looking for work, studying or whatever fills your days, and whether you are well in it.' },
    family: { name: METER_NAMES.family.en, question: 'How satisfied are you with your family relationships?', explanation: 'Your relationships with family and those close to you: parents, children, partner and others, including separation or parenthood.' },
    friends: { name: METER_NAMES.friends.en, question: 'How satisfied are you with your friendships?', explanation: 'Whether you have friends and people to spend time with, or feel lonely.' },
    finance: { name: METER_NAMES.finance.en, question: 'How satisfied are you with your financial situation?', explanation: 'Whether the money is enough to live on: income, bills, debts and benefits.' },
    improvement_of_strengths: { name: METER_NAMES.improvement_of_strengths.en, question: 'How satisfied are you with your chances to develop yourself and your strengths?', explanation: 'Whether you can learn new things, have hobbies and do things you are good at or enjoy.' },
    self_esteem: { name: METER_NAMES.self_esteem.en, question: 'How satisfied are you with yourself?', explanation: 'How you value yourself and whether you trust your own abilities.' },
    life_satisfaction: { name: METER_NAMES.life_satisfaction.en, question: 'How satisfied are you with your life as a whole?', explanation: 'An overall view of your life right now, everything together.' },
  },
};

/** The 3X10D attribute form: each meter as a list of answers (the latest only here). */
export function asAttributeMeters(meters: Meters): Record<string, number[]> {
  return Object.fromEntries(Object.entries(meters).filter(([, v]) => typeof v === 'number').map(([k, v]) => [k, [v as number]]));
}
