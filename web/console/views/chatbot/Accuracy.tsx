import { useTranslation } from 'react-i18next';
import { Heading, Paragraph, Table } from 'suomifi-ui-components';
import { LoadState, WrappingTable, formatNumber, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import type { SectionProps } from './Bot.tsx';
import { botApi, type BotLanguage } from './bot-api.ts';
import { useIntentName } from './Bots.tsx';

/** How well the saved draft's intents are recognised on phrasings held out (5-fold), per language and per intent, sv and en as a share of fi. */
export function Accuracy({ memberId, bot }: SectionProps) {
  const { t } = useTranslation('console');
  const ui = useLanguage();
  const intentName = useIntentName();
  // The evaluation is of the saved draft: it is asked again whenever a save changes it.
  const loaded = useLoad((signal) => botApi.evaluation(memberId, bot.id, { signal }), [memberId, bot.id, JSON.stringify(bot.draft)]);
  const pct = (x: number | undefined) => (x === undefined ? '–' : `${formatNumber(x * 100, ui)} %`);
  return (
    <section aria-labelledby="accuracy-heading">
      <Heading variant="h2" id="accuracy-heading" mb="s">
        {t('chatbot.accuracy.title')}
      </Heading>
      <Paragraph mb="m">{t('chatbot.accuracy.intro')}</Paragraph>
      <LoadState loaded={loaded}>
        {(evaluation) => {
          const languages = (Object.keys(evaluation.languages) as BotLanguage[]).filter((l) => evaluation.languages[l]);
          if (languages.length === 0) return <Paragraph>{t('chatbot.accuracy.tooFew')}</Paragraph>;
          const intents = [...new Set(languages.flatMap((l) => Object.keys(evaluation.languages[l]!.per_intent)))].sort((a, b) => Number(a.startsWith('shared:')) - Number(b.startsWith('shared:')) || a.localeCompare(b));
          return (
            <>
              <WrappingTable style={{ marginBottom: 32 }}>
                <Table
                  caption={t('chatbot.accuracy.perLanguage')}
                  columns={[
                    { key: 'language', labelText: t('chatbot.accuracy.language') },
                    { key: 'examples', labelText: t('chatbot.accuracy.examples') },
                    { key: 'accuracy', labelText: t('chatbot.accuracy.accuracy') },
                    { key: 'share', labelText: t('chatbot.accuracy.shareOfFi') },
                  ]}
                  data={languages.map((l) => ({
                    id: l,
                    language: t(`chatbot.language.${l}`),
                    examples: formatNumber(evaluation.languages[l]!.examples, ui),
                    accuracy: pct(evaluation.languages[l]!.accuracy),
                    share: l === 'fi' ? '1' : evaluation.share_of_fi[l as 'sv' | 'en'] === undefined ? '–' : formatNumber(evaluation.share_of_fi[l as 'sv' | 'en']!, ui, 2),
                  }))}
                />
              </WrappingTable>
              <WrappingTable>
                <Table
                  caption={t('chatbot.accuracy.perIntent')}
                  columns={[{ key: 'intent', labelText: t('chatbot.accuracy.intent') }, ...languages.map((l) => ({ key: l, labelText: t(`chatbot.language.${l}`) }))]}
                  data={intents.map((intent) => ({ id: intent, intent: intentName(intent), ...Object.fromEntries(languages.map((l) => [l, pct(evaluation.languages[l]!.per_intent[intent])])) }))}
                />
              </WrappingTable>
            </>
          );
        }}
      </LoadState>
    </section>
  );
}
