/**
 * For the chatbot's tests: a content pack with the shared bank and one intent of its own (the youth
 * card, with a form asking age and municipality), in fi, sv and en, and the transcript tests given.
 */
export const youthCardPack = ({ answerFi = 'Nuorisokortin saat nuorisotalolta.', tests }: { answerFi?: string; tests: { name: string; language: string; transcript: string }[] }) => ({
  languages: ['fi', 'sv', 'en'],
  handover: { phone: '+358 9 310 12345' },
  shared: ['greet', 'help', 'goodbye', 'find-services', 'crisis', 'opening-hours', 'handover', 'life-check'],
  intents: [
    {
      id: 'youth-card',
      examples: {
        fi: ['miten saan nuorisokortin', 'nuorisokortti', 'haluan hakea nuorisokorttia', 'mistä saa nuorisokortin', 'nuorisokortin hakeminen'],
        sv: ['hur får jag ungdomskort', 'ungdomskort', 'jag vill ansöka om ungdomskort', 'var får man ungdomskort', 'ansöka ungdomskort'],
        en: ['how do i get a youth card', 'youth card', 'i want to apply for a youth card', 'where can i get a youth card', 'applying for a youth card'],
      },
      answer: { text: { fi: answerFi, sv: 'Ungdomskortet får du från ungdomsgården.', en: 'You get the youth card at the youth centre.' } },
      form: 'age-place',
    },
  ],
  forms: [
    {
      id: 'age-place',
      slots: [
        { name: 'age', kind: 'age', prompt: { fi: 'Kuinka vanha olet?', sv: 'Hur gammal är du?', en: 'How old are you?' } },
        { name: 'place', kind: 'municipality', prompt: { fi: 'Missä kunnassa asut?', sv: 'I vilken kommun bor du?', en: 'Which municipality do you live in?' } },
      ],
      done: { fi: 'Kiitos, {age} vuotta, {place}.', sv: 'Tack, {age} år, {place}.', en: 'Thanks, {age} years, {place}.' },
    },
  ],
  tests,
});
