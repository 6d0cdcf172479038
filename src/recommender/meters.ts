import type { Language } from '../catalogue/model.ts';
import { METERS, METER_NAMES, type Meter } from './meter-names.ts';

export { METERS, METER_NAMES, type Meter };

/**
 * The ten life-situation meters of the 3X10D model, answered 0 (very dissatisfied) to 10 (very
 * satisfied). Each has a name and a profile in Finnish, Swedish and English: a plain description of
 * the area of life, written from what the area covers, which the recommender matches services to.
 */
export type MeterValues = Partial<Record<Meter, number>>;

interface MeterText {
  name: Record<Language, string>;
  /** What a person rating this low may need, as a service description would say it. */
  profile: Record<Language, string>;
}

export const METER_TEXTS: Record<Meter, MeterText> = {
  health: {
    name: METER_NAMES.health,
    profile: {
      fi: 'terveys terveyspalvelut sairaus sairastuminen hoito lääkäri terveyskeskus terveydenhoitaja hammashoito mielenterveys psyykkinen terveys masennus ahdistus päihteet alkoholi huumeet riippuvuus kuntoutus vammaisuus liikunta ravitsemus uni jaksaminen hyvinvointi',
      sv: 'hälsa hälsovård sjukdom insjukna vård läkare hälsocentral hälsovårdare tandvård mental hälsa psykisk hälsa depression ångest rusmedel alkohol droger beroende rehabilitering funktionsnedsättning motion kost sömn ork välbefinnande',
      en: 'health health care illness falling ill treatment doctor health centre nurse dental care mental health depression anxiety substance abuse alcohol drugs addiction rehabilitation disability exercise nutrition sleep coping wellbeing',
    },
  },
  resilience: {
    name: METER_NAMES.resilience,
    profile: {
      fi: 'arjen sujuminen arjessa selviytyminen elämänhallinta kriisi kriisiapu tuki neuvonta ohjaus keskusteluapu stressi jaksaminen väsymys elämäntilanne vaikea tilanne sosiaalityö sosiaalipalvelut apu kotiin tukihenkilö',
      sv: 'vardagen klara vardagen livskontroll kris krishjälp stöd rådgivning handledning samtalsstöd stress ork trötthet livssituation svår situation socialt arbete socialtjänst hjälp i hemmet stödperson',
      en: 'everyday life coping life management crisis crisis help support advice guidance someone to talk to stress exhaustion fatigue life situation difficult situation social work social services help at home support person',
    },
  },
  housing: {
    name: METER_NAMES.housing,
    profile: {
      fi: 'asuminen asunto koti vuokra vuokra-asunto vuokranantaja asumistuki asunnottomuus asunnon hakeminen muutto opiskelija-asunto tuettu asuminen asumisneuvonta häätö vuokravelka omistusasunto',
      sv: 'boende bostad hem hyra hyresbostad hyresvärd bostadsbidrag bostadslöshet söka bostad flytt studentbostad stödboende boenderådgivning vräkning hyresskuld ägarbostad',
      en: 'housing home apartment flat rent rental apartment landlord housing allowance homelessness finding a home moving student housing supported housing housing advice eviction rent arrears owner-occupied home',
    },
  },
  working_studying: {
    name: METER_NAMES.working_studying,
    profile: {
      fi: 'työ työpaikka työnhaku työttömyys työtön työllisyys työkokeilu palkkatuki ammatti koulutus opiskelu opinnot oppilaitos ammatillinen koulutus lukio korkeakoulu oppisopimus harjoittelu opinto-ohjaus uraohjaus työvoimapalvelut',
      sv: 'arbete jobb arbetsplats jobbsökning arbetslöshet arbetslös sysselsättning arbetsprövning lönesubvention yrke utbildning studier studier läroanstalt yrkesutbildning gymnasium högskola läroavtal praktik studiehandledning karriärvägledning arbetskraftstjänster',
      en: 'work job workplace job seeking unemployment unemployed employment work trial pay subsidy occupation education studying studies school vocational education upper secondary school university apprenticeship internship study guidance career guidance employment services',
    },
  },
  family: {
    name: METER_NAMES.family,
    profile: {
      fi: 'perhe lapsi lapset vanhemmat vanhemmuus äiti isä raskaus vauva perhetyö perheneuvola lastensuojelu kasvatus parisuhde ero huolto tapaaminen varhaiskasvatus päivähoito neuvola kotipalvelu lapsiperhe',
      sv: 'familj barn föräldrar föräldraskap mamma pappa graviditet bebis familjearbete familjerådgivning barnskydd fostran parförhållande skilsmässa vårdnad umgänge småbarnspedagogik dagvård rådgivning hemservice barnfamilj',
      en: 'family child children parents parenting mother father pregnancy baby family work family counselling child welfare upbringing relationship divorce custody visitation early childhood education day care child health clinic home help families with children',
    },
  },
  friends: {
    name: METER_NAMES.friends,
    profile: {
      fi: 'ystävät ystävä kaverit yksinäisyys sosiaaliset suhteet vertaistuki ryhmä harrastus vapaa-aika nuorisotila nuorisotyö kohtaamispaikka yhteisö toiminta vapaaehtoistyö kerho tapahtumat',
      sv: 'vänner vän kompisar ensamhet sociala relationer kamratstöd grupp hobby fritid ungdomslokal ungdomsarbete mötesplats gemenskap verksamhet frivilligarbete klubb evenemang',
      en: 'friends friend mates loneliness social relationships peer support group hobby leisure youth centre youth work meeting place community activities volunteering club events',
    },
  },
  finance: {
    name: METER_NAMES.finance,
    profile: {
      fi: 'talous raha toimeentulo tulot velka velat velkaneuvonta talousneuvonta toimeentulotuki etuus tuki avustus laina opintotuki työttömyysturva kela maksu laskut budjetti verotus eläke',
      sv: 'ekonomi pengar utkomst inkomster skuld skulder skuldrådgivning ekonomisk rådgivning utkomststöd förmån stöd bidrag lån studiestöd utkomstskydd för arbetslösa fpa avgift räkningar budget beskattning pension',
      en: 'finances money livelihood income debt debts debt counselling financial advice social assistance benefit support grant loan student financial aid unemployment benefit kela fee bills budget taxation pension',
    },
  },
  improvement_of_strengths: {
    name: METER_NAMES.improvement_of_strengths,
    profile: {
      fi: 'vahvuudet osaaminen taidot oppiminen kehittyminen kurssi koulutus harrastus luovuus kulttuuri taide musiikki liikunta urheilu vapaaehtoistyö nuorisotyö ohjaus valmennus tulevaisuus tavoitteet kansalaisopisto',
      sv: 'styrkor kompetens färdigheter lärande utveckling kurs utbildning hobby kreativitet kultur konst musik motion idrott frivilligarbete ungdomsarbete handledning coachning framtid mål medborgarinstitut',
      en: 'strengths skills competence learning personal development course training hobby creativity culture art music exercise sports volunteering youth work guidance coaching future goals adult education centre',
    },
  },
  self_esteem: {
    name: METER_NAMES.self_esteem,
    profile: {
      fi: 'itsetunto itsetuntemus omanarvontunto identiteetti itseluottamus mielenterveys keskusteluapu tuki kiusaaminen syrjintä yksinäisyys häpeä kriisi nuoret vertaistuki ohjaus psyykkinen hyvinvointi',
      sv: 'självkänsla självkännedom självvärde identitet självförtroende mental hälsa samtalsstöd stöd mobbning diskriminering ensamhet skam kris unga kamratstöd handledning psykiskt välbefinnande',
      en: 'self-esteem self-knowledge self-worth identity self-confidence mental health someone to talk to support bullying discrimination loneliness shame crisis young people peer support guidance mental wellbeing',
    },
  },
  life_satisfaction: {
    name: METER_NAMES.life_satisfaction,
    profile: {
      fi: 'elämä kokonaisuutena hyvinvointi elämänlaatu tyytyväisyys onnellisuus merkityksellisyys tulevaisuus elämäntilanne mielenterveys kriisiapu keskusteluapu tuki ohjaus neuvonta jaksaminen',
      sv: 'livet som helhet välbefinnande livskvalitet nöjdhet lycka meningsfullhet framtid livssituation mental hälsa krishjälp samtalsstöd stöd handledning rådgivning ork',
      en: 'life as a whole wellbeing quality of life satisfaction happiness meaningfulness future life situation mental health crisis help someone to talk to support guidance advice coping',
    },
  },
};

/**
 * How much a meter's answer says a person needs help with that area: none at 8 or more, rising
 * to 1 at 0. Values follow the 3X10D survey, where young people's means lie between 6 and 8.
 */
export function needOf(value: number): number {
  const v = Math.min(10, Math.max(0, value));
  if (v >= 8) return 0;
  return Math.pow((8 - v) / 8, 1.3);
}
