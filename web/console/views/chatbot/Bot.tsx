import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Paragraph } from 'suomifi-ui-components';
import { ApiError } from '../../api.ts';
import { AppLink, ErrorAlert, LoadState, PageHeading } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { Accuracy } from './Accuracy.tsx';
import { botApi, type Bot as BotData, type Pack } from './bot-api.ts';
import { Content } from './Content.tsx';
import { Tests } from './Tests.tsx';
import { TryIt } from './TryIt.tsx';
import { Unrecognised } from './Unrecognised.tsx';
import { Versions } from './Versions.tsx';

export const SECTIONS = ['content', 'try', 'unrecognised', 'tests', 'accuracy', 'versions'] as const;
export type Section = (typeof SECTIONS)[number];

const Tabs = styled.nav`
  ul {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 20px;
    list-style: none;
    margin: 0 0 24px;
    padding: 0 0 8px;
    border-bottom: 1px solid #c8cdd0;
  }
  a[aria-current='page'] {
    font-weight: 700;
    text-decoration: none;
    border-bottom: 3px solid #2a6ebb;
  }
`;

/** What a section is given: the bot, its draft as being edited, and saving it (the server's 400 problems come back as field errors). */
export interface SectionProps {
  memberId: string;
  bot: BotData;
  draft: Pack;
  setDraft: (pack: Pack) => void;
  /** Saves the draft as it is now (or `pack`); false when the server refused it (the problems are in `fieldErrors`). */
  save: (pack?: Pack) => Promise<boolean>;
  fieldErrors: { field: string; message: string }[];
  reload: (bot: BotData) => void;
}

/** One bot: its content, trying it, unrecognised messages, transcript tests, accuracy and versions, each a section of its own address. */
export function Bot({ memberId, id, section }: { memberId: string; id: string; section: Section }) {
  const { t } = useTranslation('console');
  const loaded = useLoad((signal) => botApi.get(memberId, id, { signal }), [memberId, id]);
  const [bot, setBot] = useState<BotData | undefined>(undefined);
  const [draft, setDraft] = useState<Pack | undefined>(undefined);
  const [fieldErrors, setFieldErrors] = useState<{ field: string; message: string }[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    if (loaded.data) {
      setBot(loaded.data);
      setDraft(loaded.data.draft);
    }
  }, [loaded.data]);
  const reload = useCallback((b: BotData) => {
    setBot(b);
    setDraft(b.draft);
  }, []);
  const save = async (pack?: Pack) => {
    setError(undefined);
    try {
      const saved = await botApi.save(memberId, id, pack ?? draft!);
      setFieldErrors([]);
      reload(saved);
      return true;
    } catch (e) {
      // The request's body is { pack }: its schema's errors name pack.intents.0.id, the pack's own check intents.0.id.
      if (e instanceof ApiError && e.status === 400 && e.errors.length) setFieldErrors(e.errors.map((x) => ({ ...x, field: x.field.replace(/^pack\./, '') })));
      else setError(e);
      return false;
    }
  };
  const title = bot?.name ?? t('chatbot.title');
  return (
    <>
      <PageHeading title={`${title} – ${t(`chatbot.section.${section}`)}`}>{title}</PageHeading>
      <Paragraph mb="m">
        <AppLink to="/org/bots">{t('chatbot.back')}</AppLink>
      </Paragraph>
      <Tabs aria-label={t('chatbot.sections')}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <AppLink to={`/org/bots/${id}/${s}`} aria-current={s === section ? 'page' : undefined}>
                {t(`chatbot.section.${s}`)}
              </AppLink>
            </li>
          ))}
        </ul>
      </Tabs>
      <ErrorAlert error={error} />
      <LoadState loaded={loaded}>
        {() => {
          if (!bot || !draft) return null;
          const props: SectionProps = { memberId, bot, draft, setDraft, save, fieldErrors, reload };
          if (section === 'try') return <TryIt {...props} />;
          if (section === 'unrecognised') return <Unrecognised {...props} />;
          if (section === 'tests') return <Tests {...props} />;
          if (section === 'accuracy') return <Accuracy {...props} />;
          if (section === 'versions') return <Versions {...props} />;
          return <Content {...props} />;
        }}
      </LoadState>
    </>
  );
}
