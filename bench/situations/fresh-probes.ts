/**
 * Fresh phrasings for probe.ts, written for model 1.9.0 apart from the development set (its
 * questions never copied or reworded) and from the model's own phrasings: whether the situations
 * and the crisis understanding generalise to wording the model has not seen.
 *
 *   node --import tsx bench/situations/probe.ts bench/situations/fresh-probes.ts [--services]
 *
 * CRISIS holds questions with the crisis reading they should get: immediate danger in every
 * language, and everyday words that only sound like it (a heart pounding, someone else's dying,
 * weeds, "help now") that must not put the crisis lines first.
 */
export const COLLOQUIAL: readonly (readonly ['fi' | 'sv' | 'en', string, string])[] = [
  ['fi', 'pomo sättii mua koko ajan kaikkien kuullen', 'workplace-harassment'],
  ['sv', 'min chef förolämpar mig hela tiden', 'workplace-harassment'],
  ['en', 'my manager constantly belittles me at work', 'workplace-harassment'],
  ['fi', 'pojan luokkalaiset nimittelee sitä joka päivä', 'bullying'],
  ['sv', 'de andra eleverna är taskiga mot min dotter', 'bullying'],
  ['en', 'the other pupils keep teasing my boy', 'bullying'],
  ['fi', 'oon ollu viikkokausia ihan maissa enkä jaksa mitään', 'depression'],
  ['sv', 'jag har känt mig nedstämd i flera veckor', 'depression'],
  ['en', 'for weeks i have felt empty and low', 'depression'],
  ['fi', 'isoisä on kuolemassa ja haluaa olla kotona', 'end-of-life-care'],
  ['sv', 'farfar är döende på sjukhuset', 'end-of-life-care'],
  ['en', 'my grandmother is dying in a care home', 'end-of-life-care'],
  ['sv', 'min sambo har gått bort', 'bereavement'],
  ['en', 'my husband passed away in the spring', 'bereavement'],
  ['fi', 'asun yksikseni eikä kukaan soittele', 'loneliness'],
  ['sv', 'jag är pensionär och väldigt ensam', 'loneliness'],
  ['en', 'i am a pensioner and nobody comes round', 'loneliness'],
  ['sv', 'jag blev utan studieplats i höstas', 'youth-no-study-or-work'],
  ['en', 'i was rejected by every college i applied to', 'youth-no-study-or-work'],
  ['sv', 'jag vill skola om mig till ett annat yrke', 'career-change'],
  ['en', 'i want to retrain for a different career', 'career-change'],
  ['en', 'my kid is really struggling with schoolwork', 'child-school-trouble'],
  ['sv', 'vår son klarar inte skolarbetet', 'child-school-trouble'],
];

export const OOD: readonly (readonly ['fi' | 'sv' | 'en', string])[] = [
  ['en', 'how do I get rid of weeds in the lawn'],
  ['sv', 'hur blir jag av med ogräs i rabatten'],
  ['fi', 'miten hävitän voikukat nurmikolta'],
  ['en', 'this heat is killing me'],
  ['sv', 'vilken film ska jag se ikväll'],
];

export const CRISIS: readonly (readonly ['fi' | 'sv' | 'en', string, boolean])[] = [
  ['fi', 'en halua enää elää', true],
  ['fi', 'ajattelen tappaa itseni', true],
  ['sv', 'jag vill inte leva mer', true],
  ['sv', 'jag tänker ta livet av mig i kväll', true],
  ['en', 'i wanna kill myself', true],
  ['en', "i don't want to live any more", true],
  ['fi', 'poikaystävä hakkaa mua just nyt', true],
  ['sv', 'min man slår mig just nu', true],
  ['en', 'my boyfriend is beating me right now', true],
  ['en', 'my dad is not breathing', true],
  ['sv', 'jag behöver hjälp nu', false],
  ['en', 'i need help now with my application', false],
  ['fi', 'tarvitsen apua nyt', false],
  ['fi', 'sydän hakkaa ja jännittää koko ajan', false],
  ['fi', 'mummo on kuolemassa', false],
  ['sv', 'min pappa håller på att dö', false],
  ['en', 'my grandma is dying in hospital', false],
  ['en', 'how do i kill weeds', false],
  ['en', 'the heat is killing me', false],
  ['fi', 'kaveri tappoi itsensä ja haluan puhua jollekin', false],
  // Still misread by model 1.9.0: "haluaa" (he wants) meets "haluan" (I want) of "haluan kuolla".
  ['fi', 'isoisä on kuolemassa ja haluaa olla kotona', false],
];
