/**
 * The person's age when their text says it in the first person ("oon 82 ja asun yksin", "olen
 * 42-vuotias", "jag är 30 år", "I'm 17"): ages shape the results as target groups say (audience.ts),
 * so that an 82-year-old is not offered youth centres. Only the first person counts: "äiti on 82"
 * is the mother's age, not the asker's. Written by hand: a few fixed sentence shapes per language,
 * which no general library covers.
 */
const PATTERNS: RegExp[] = [
  // Finnish: "olen 42", "oon jo 30", "mä oon 17-vuotias", "olen 42 v".
  /(?:^|[^\p{L}])(?:olen|oon|olen jo|oon jo|olen nyt|oon nyt)\s+(\d{1,3})(?=$|[^\d])/iu,
  /(?:^|[^\p{L}])(?:olen|oon)\s+(?:jo\s+|nyt\s+)?(\d{1,3})\s*-?\s*(?:vuotias|v\b|vee\b)/iu,
  // Swedish: "jag är 82", "jag är 30 år".
  /(?:^|[^\p{L}])jag är\s+(?:redan\s+|nu\s+)?(\d{1,3})(?=$|[^\d])/iu,
  // English: "I'm 17", "I am 42 years old".
  /(?:^|[^\p{L}])i(?:'m|’m| am)\s+(?:already\s+|now\s+)?(\d{1,3})(?=$|[^\d])/iu,
];
/** A number followed by one of these is an amount, not an age: "oon 3 kuukautta ollut työttömänä", "I'm 20 euros short". */
const AMOUNT = /^\s*(?:kuukau|kk\b|viiko|vuotta|päiv|euro|e\b|€|kilo|kg\b|kert|tunt|minuu|prosent|%|sentti|metri|month|week|years?\b(?!\s+old)|day|hour|kilo|time|minute|percent|pound|månad|vecka|veck|dag|timm|kronor|gång|procent)/iu;
const YOUNGEST = 10;
const OLDEST = 110;

export function ageFromText(text: string): number | undefined {
  for (const pattern of PATTERNS) {
    const found = pattern.exec(text);
    if (!found) continue;
    const afterNumber = text.slice(found.index + found[0].indexOf(found[1]!) + found[1]!.length);
    if (AMOUNT.test(afterNumber)) continue;
    const age = Number(found[1]);
    if (age >= YOUNGEST && age <= OLDEST) return age;
  }
  return undefined;
}
