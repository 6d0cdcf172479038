import type { HelpLine, Recommendation, RecommendationItem, Situation, TryInstead } from '../../web/citizen/types.ts';

/**
 * Answers of POST /api/v1/recommendations as the rewritten recommender gives them (issue #12): what
 * it understood, crisis lines, "nothing fits" with what to try instead. The browser test answers
 * with these until the server produces the fields itself. Services are the demo catalogue's, so
 * their pages open; the crisis service is not in the demo, and its details are simply missing.
 */

type Language = 'fi' | 'sv' | 'en';
const text = (fi: string, sv: string, en: string) => ({ fi, sv, en });

export const UNEMPLOYED_BENEFITS = '8c6e25e9-e186-49fd-852c-f6f168d1351f'; // Kelan tuet työttömille
export const SOCIAL_ASSISTANCE = 'ff059acf-de3f-468d-8b6a-9a492d301cda'; // Kelan perustoimeentulotuki
export const RENTAL_HOMES = '8788a928-d903-47e1-86b6-f336c104178f'; // Kunnan vuokra-asunnot
export const CRISIS_CENTRE = '0d3c5f8e-2b7a-4e61-9c4d-5a8f1e2b3c71';

/** What a person types for each answer. */
export const ASKED = {
  situations: text('Menetin työni enkä pysty maksamaan vuokraa', 'Jag har förlorat jobbet och kan inte betala hyran', 'I lost my job and can’t pay my rent'),
  crisis: text('En jaksa enää. En halua elää.', 'Jag orkar inte längre. Jag vill inte leva.', 'I can’t go on. I don’t want to live anymore.'),
  nothing: text('Naapurin kissa kävelee pihallani', 'Grannens katt går på min gård', 'My neighbour’s cat walks in my garden'),
};

export const SAID = {
  lostJob: text('Kerroit menettäneesi työsi', 'Du berättade att du har förlorat jobbet', 'You said you lost your job'),
  rent: text('Kerroit, ettet pysty maksamaan vuokraa', 'Du berättade att du inte kan betala hyran', 'You said you can’t pay your rent'),
  noWill: text('Kerroit, ettet halua elää', 'Du berättade att du inte vill leva', 'You said you don’t want to live'),
};

const SITUATION_LABELS = {
  job_loss: text('Työpaikan menetys', 'Att förlora jobbet', 'Losing a job'),
  rent_arrears: text('Vuokrarästit', 'Obetald hyra', 'Rent arrears'),
  suicidal_thoughts: text('Itsetuhoiset ajatukset', 'Självmordstankar', 'Suicidal thoughts'),
};

function situation(id: keyof typeof SITUATION_LABELS, said: keyof typeof SAID, confidence: number, language: Language): Situation {
  return { id, label: SITUATION_LABELS[id][language], said: SAID[said][language], confidence };
}

function item(serviceId: string, name: { fi: string; sv: string; en: string }, summary: { fi: string; sv: string; en: string }, confidence: number, reason: string, extra: Partial<RecommendationItem> = {}): RecommendationItem {
  return {
    service_id: serviceId,
    score: confidence,
    name,
    summary,
    explanation: reason,
    reasons: [{ kind: 'situation', situation: 'job_loss', text: reason }],
    open_url: `/r/00000000-0000-4000-8000-000000000000/${serviceId}`,
    confidence,
    crisis: false,
    ...extra,
  };
}

export const HELP_LINES: Record<string, (language: Language) => HelpLine> = {
  emergency: (l) => ({
    id: 'emergency-112',
    kind: 'emergency',
    name: text('Hätänumero', 'Nödnummer', 'Emergency number')[l],
    phone: '112',
    description: text('Kun henki tai terveys on vaarassa.', 'När liv eller hälsa är i fara.', 'When a life or health is in danger.')[l],
    hours: text('aina', 'alltid', 'always')[l],
    url: null,
  }),
  crisis: (l) => ({
    id: 'mieli-crisis-line',
    kind: 'crisis',
    name: text('MIELI ry:n Kriisipuhelin', 'MIELI rf:s kristelefon på svenska', 'MIELI Crisis Helpline')[l],
    phone: text('09 2525 0111', '09 2525 0112', '09 2525 0116')[l],
    description: text('Keskusteluapua kriisissä ja itsetuhoisissa ajatuksissa. Voit soittaa nimettömänä.', 'Samtalsstöd i kris och vid självmordstankar. Du kan ringa anonymt.', 'Someone to talk to in a crisis and with suicidal thoughts. You can call anonymously.')[l],
    hours: text('ympäri vuorokauden', 'mån–ons 16–20, tors–fre 9–13', 'Mon–Fri 9–15')[l],
    url: 'https://mieli.fi/',
  }),
  advice: (l) => ({
    id: 'suomifi-advice',
    kind: 'advice',
    name: text('Suomi.fi-neuvonta', 'Suomi.fi-rådgivningen', 'Suomi.fi advice')[l],
    phone: '0295 000 123',
    description: text('Neuvoo löytämään oikean palvelun ja viranomaisen.', 'Hjälper dig att hitta rätt tjänst och myndighet.', 'Helps you find the right service and authority.')[l],
    hours: text('ma–pe 9–16', 'mån–fre 9–16', 'Mon–Fri 9–16')[l],
    url: null,
  }),
};

/** A person who lost their job and can't pay the rent: two situations, three services of different fit. */
export function situationsAnswer(language: Language): Recommendation {
  const reason = text('Kerroit menettäneesi työsi.', 'Du berättade att du har förlorat jobbet.', 'You said you lost your job.')[language];
  return {
    recommendation_id: '6f1c2b4a-8d3e-4f5a-9b6c-7d8e9f0a1b2c',
    language,
    understood: { language, situations: [situation('job_loss', 'lostJob', 0.93, language), situation('rent_arrears', 'rent', 0.81, language)], crisis: false, asker: 'person' },
    nothing_fits: false,
    help_lines: [],
    try_instead: [],
    items: [
      item(UNEMPLOYED_BENEFITS, text('Kelan tuet työttömille', 'FPA:s stöd för arbetslösa', 'Kela benefits for the unemployed'), text('Työttömyysturva ja muut tuet, kun jäät työttömäksi.', 'Utkomstskydd och andra stöd när du blir arbetslös.', 'Unemployment security and other support when you lose your job.'), 0.86, reason),
      item(SOCIAL_ASSISTANCE, text('Kelan perustoimeentulotuki', 'FPA:s grundläggande utkomststöd', 'Kela basic social assistance'), text('Tuki välttämättömiin menoihin, kuten vuokraan.', 'Stöd för nödvändiga utgifter, till exempel hyran.', 'Support for necessary costs such as rent.'), 0.74, reason),
      item(RENTAL_HOMES, text('Kunnan vuokra-asunnot', 'Kommunens hyresbostäder', 'Municipal rental homes'), text('Edullisempi vuokra-asunto kunnalta.', 'En förmånligare hyresbostad från kommunen.', 'A more affordable rental home from the municipality.'), 0.48, reason),
    ],
  };
}

/** Words that signal immediate danger: 112 and a crisis line first, a crisis service pinned first. */
export function crisisAnswer(language: Language): Recommendation {
  const reason = text('Kerroit, ettet halua elää. Kriisikeskuksessa voit puhua jonkun kanssa heti.', 'Du berättade att du inte vill leva. På kriscentret kan du prata med någon genast.', 'You said you don’t want to live. At the crisis centre you can talk to someone right away.')[language];
  return {
    recommendation_id: '7a2d3c5b-9e4f-4a6b-8c7d-8e9f0a1b2c3d',
    language,
    understood: { language, situations: [situation('suicidal_thoughts', 'noWill', 0.95, language)], crisis: true, asker: 'person' },
    nothing_fits: false,
    help_lines: [HELP_LINES.emergency!(language), HELP_LINES.crisis!(language)],
    try_instead: [],
    items: [
      item(CRISIS_CENTRE, text('Kriisikeskus', 'Kriscentret', 'Crisis centre'), text('Maksutonta keskusteluapua elämän kriiseissä.', 'Avgiftsfritt samtalsstöd i livets kriser.', 'Free conversation help in life’s crises.'), 0.9, reason, {
        crisis: true,
        reasons: [{ kind: 'situation', situation: 'suicidal_thoughts', text: reason }],
      }),
      item(SOCIAL_ASSISTANCE, text('Kelan perustoimeentulotuki', 'FPA:s grundläggande utkomststöd', 'Kela basic social assistance'), text('Tuki välttämättömiin menoihin.', 'Stöd för nödvändiga utgifter.', 'Support for necessary costs.'), 0.41, reason),
    ],
  };
}

/** No service reaches the threshold: an honest empty answer with what to try instead. */
export function nothingFitsAnswer(language: Language): Recommendation {
  const tryInstead: TryInstead[] = [
    { kind: 'life_event', life_event: 'losing_job', text: text('Etsi elämäntapahtuman mukaan: Työpaikan menetys', 'Sök utifrån livshändelsen: Att förlora jobbet', 'Search by life event: Losing a job')[language] },
    { kind: 'life_situation_check', text: text('Tee elämäntilanteen tarkistus', 'Gör kontrollen av livssituationen', 'Check your life situation')[language] },
    { kind: 'help_line', text: text('Puhu jonkun kanssa puhelimessa', 'Prata med någon i telefon', 'Talk to someone on the phone')[language] },
    { kind: 'rephrase', text: text('Kerro tilanteestasi toisin sanoin', 'Berätta om din situation med andra ord', 'Tell about your situation in other words')[language] },
  ];
  return {
    recommendation_id: '8b3e4d6c-0f5a-4b7c-9d8e-9f0a1b2c3d4e',
    language,
    understood: { language, situations: [], crisis: false, asker: 'person' },
    nothing_fits: true,
    help_lines: [HELP_LINES.advice!(language)],
    try_instead: tryInstead,
    items: [],
  };
}

/** A server from before issue #12: no new fields, nothing found. */
export function olderEmptyAnswer(language: Language): Recommendation {
  return { recommendation_id: '9c4f5e7d-1a6b-4c8d-8e9f-0a1b2c3d4e5f', language, items: [] };
}
