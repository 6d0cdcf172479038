import type { Language } from '../catalogue/model.ts';

/**
 * Life events a person can start from, after the PTV life-event list. Each has a name and a profile
 * (what a person going through it typically needs), matched to services like the meters' profiles.
 */
export const LIFE_EVENTS = {
  moving: {
    name: { fi: 'Muutto', sv: 'Flytt', en: 'Moving house' },
    profile: { fi: 'muutto muuttoilmoitus asunto vuokra-asunto asuminen osoitteenmuutos uusi kotikunta asumistuki', sv: 'flytt flyttanmälan bostad hyresbostad boende adressändring ny hemkommun bostadsbidrag', en: 'moving notice of move home rental apartment housing change of address new home municipality housing allowance' },
  },
  child_birth: {
    name: { fi: 'Lapsen syntymä', sv: 'Barnets födelse', en: 'Birth of a child' },
    profile: { fi: 'raskaus synnytys vauva lapsi neuvola äitiysavustus vanhempainvapaa vanhempainpäiväraha lapsilisä isyys perhe', sv: 'graviditet förlossning bebis barn rådgivning moderskapsunderstöd föräldraledighet föräldrapenning barnbidrag faderskap familj', en: 'pregnancy childbirth baby child child health clinic maternity grant parental leave parental allowance child benefit paternity family' },
  },
  death_of_close_one: {
    name: { fi: 'Läheisen kuolema', sv: 'En anhörigs död', en: 'Death of a close one' },
    profile: { fi: 'kuolema läheisen kuolema suru surutyö kriisiapu hautajaiset hautaus perunkirjoitus perintö leskeneläke perhe-eläke', sv: 'död en anhörigs död sorg sorgearbete krishjälp begravning bouppteckning arv änkepension familjepension', en: 'death death of a close one grief mourning crisis help funeral burial estate inventory inheritance survivors pension family pension' },
  },
  losing_job: {
    name: { fi: 'Työpaikan menetys', sv: 'Att förlora jobbet', en: 'Losing a job' },
    profile: { fi: 'työttömyys työtön irtisanominen lomautus työnhaku työttömyysturva työttömyyskorvaus työvoimapalvelut koulutus uusi ammatti toimeentulo', sv: 'arbetslöshet arbetslös uppsägning permittering jobbsökning utkomstskydd arbetslöshetsersättning arbetskraftstjänster utbildning nytt yrke utkomst', en: 'unemployment unemployed dismissal lay-off job seeking unemployment security unemployment benefit employment services training new occupation livelihood' },
  },
  starting_studies: {
    name: { fi: 'Opiskelun aloittaminen', sv: 'Att börja studera', en: 'Starting studies' },
    profile: { fi: 'opiskelu opinnot koulutus haku yhteishaku oppilaitos opintotuki opiskelija-asunto opiskeluterveydenhuolto opinto-ohjaus', sv: 'studier utbildning ansökan gemensam ansökan läroanstalt studiestöd studentbostad studerandehälsovård studiehandledning', en: 'studying studies education application joint application school student financial aid student housing student health care study guidance' },
  },
  illness: {
    name: { fi: 'Sairastuminen', sv: 'Att insjukna', en: 'Falling ill' },
    profile: { fi: 'sairastuminen sairaus hoito lääkäri terveyskeskus sairauspäiväraha kuntoutus lääkekorvaus vammaisuus omaishoito', sv: 'insjukna sjukdom vård läkare hälsocentral sjukdagpenning rehabilitering läkemedelsersättning funktionsnedsättning närståendevård', en: 'falling ill illness treatment doctor health centre sickness allowance rehabilitation medicine reimbursement disability informal care' },
  },
  divorce: {
    name: { fi: 'Ero', sv: 'Skilsmässa', en: 'Divorce or separation' },
    profile: { fi: 'avioero ero parisuhde lapsen huolto tapaamisoikeus elatus sovittelu perheneuvonta', sv: 'äktenskapsskillnad skilsmässa parförhållande vårdnad umgängesrätt underhåll medling familjerådgivning', en: 'divorce separation relationship child custody visitation rights child maintenance mediation family counselling' },
  },
  moving_to_finland: {
    name: { fi: 'Muutto Suomeen', sv: 'Flytt till Finland', en: 'Moving to Finland' },
    profile: { fi: 'maahanmuutto oleskelulupa kotoutuminen suomen kieli kielikurssi henkilötunnus rekisteröinti kotikunta työlupa', sv: 'invandring uppehållstillstånd integration finska språket språkkurs personbeteckning registrering hemkommun arbetstillstånd', en: 'immigration residence permit integration finnish language language course personal identity code registration municipality of residence work permit' },
  },
  retirement: {
    name: { fi: 'Eläkkeelle jääminen', sv: 'Pensionering', en: 'Retiring' },
    profile: { fi: 'eläke eläkkeelle jääminen vanhuseläke työeläke kansaneläke ikääntyminen', sv: 'pension pensionering ålderspension arbetspension folkpension åldrande', en: 'pension retirement old-age pension earnings-related pension national pension ageing' },
  },
  starting_business: {
    name: { fi: 'Yrityksen perustaminen', sv: 'Att grunda ett företag', en: 'Starting a business' },
    profile: { fi: 'yrittäjyys yrityksen perustaminen starttiraha yritysneuvonta kaupparekisteri y-tunnus verotus', sv: 'företagande grunda företag startpeng företagsrådgivning handelsregister fo-nummer beskattning', en: 'entrepreneurship starting a business start-up grant business advice trade register business id taxation' },
  },
} satisfies Record<string, { name: Record<Language, string>; profile: Record<Language, string> }>;

export type LifeEvent = keyof typeof LIFE_EVENTS;
export const LIFE_EVENT_IDS = Object.keys(LIFE_EVENTS) as LifeEvent[];
