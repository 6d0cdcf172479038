import type { Definition } from './format.ts';

/**
 * A small questionnaire of every supported kind, in three languages and plain Finnish: what the
 * tests answer and docs/questionnaires.md shows. A class's wellbeing check, after Mun ripari.
 */
export const exampleQuestionnaire = (): Definition => ({
  title: { fi: 'Miten voit?', sv: 'Hur mår du?', en: 'How are you?', 'fi-x-plain': 'Miten voit nyt?' },
  pages: [
    {
      name: 'wellbeing',
      elements: [
        {
          type: 'rating',
          name: 'life',
          meter: 'life_satisfaction',
          rateMin: 0,
          rateMax: 10,
          isRequired: true,
          title: { fi: 'Kuinka tyytyväinen olet elämääsi?', sv: 'Hur nöjd är du med ditt liv?', en: 'How satisfied are you with your life?', 'fi-x-plain': 'Onko elämäsi hyvää?' },
        },
        {
          type: 'radiogroup',
          name: 'friends',
          isRequired: true,
          title: { fi: 'Onko sinulla ystäviä?', sv: 'Har du vänner?', en: 'Do you have friends?' },
          choices: [
            { value: 'many', text: { fi: 'Monta', sv: 'Många', en: 'Many' }, meters: { friends: 9 } },
            { value: 'some', text: { fi: 'Muutama', sv: 'Några', en: 'A few' }, meters: { friends: 6 } },
            { value: 'none', text: { fi: 'Ei yhtään', sv: 'Inga', en: 'None' }, meters: { friends: 2 } },
          ],
        },
        {
          type: 'checkbox',
          name: 'worries',
          maxSelectedChoices: 2,
          title: { fi: 'Mikä huolettaa?', sv: 'Vad oroar dig?', en: 'What worries you?' },
          choices: [
            { value: 'money', text: { fi: 'Raha', sv: 'Pengar', en: 'Money' }, meters: { finance: 3 } },
            { value: 'school', text: { fi: 'Koulu', sv: 'Skolan', en: 'School' }, meters: { working_studying: 4 } },
            { value: 'home', text: { fi: 'Koti', sv: 'Hemmet', en: 'Home' }, meters: { family: 3, housing: 5 } },
          ],
        },
        {
          type: 'comment',
          name: 'lonely',
          visibleIf: "{friends} = 'none'",
          isRequired: true,
          maxLength: 500,
          title: { fi: 'Kerro, jos haluat', sv: 'Berätta om du vill', en: 'Tell us if you like' },
        },
        { type: 'text', name: 'nickname', title: { fi: 'Nimimerkki', sv: 'Signatur', en: 'Nickname' } },
      ],
    },
  ],
});
