import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, Table, TextInput } from 'suomifi-ui-components';
import { AppLink, ErrorAlert, LoadState, PageHeading, WrappingTable } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { useRouter } from '../../../shared/router.tsx';
import { BOT_LANGUAGES, botApi, type BotLanguage } from './bot-api.ts';
import { SHARED_IDS } from './shared-ids.ts';

type SharedId = (typeof SHARED_IDS)[number];

/** An intent's name as a whisperer knows it: their own by its id, a shared dialogue's (`shared:greet`) by its name in the console's language. */
export function useIntentName() {
  const { t } = useTranslation('console');
  return (id: string) => {
    const shared = id.startsWith('shared:') ? (id.slice('shared:'.length) as SharedId) : null;
    return shared && SHARED_IDS.includes(shared) ? t('chatbot.sharedIntent', { name: t(`chatbot.shared.${shared}.name`) }) : id;
  };
}

/** The member's bots: the list, and a new one with its name, languages, shared dialogues and retention. */
export function Bots({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const { navigate } = useRouter();
  const list = useLoad((signal) => botApi.list(memberId, { signal }), [memberId]);
  const [name, setName] = useState('');
  const [languages, setLanguages] = useState<BotLanguage[]>([...BOT_LANGUAGES]);
  const [shared, setShared] = useState<string[]>([...SHARED_IDS]);
  const [retention, setRetention] = useState('30');
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const days = Number(retention);
  const create = async () => {
    const wrong = { name: !name.trim(), languages: languages.length === 0, retention: !Number.isInteger(days) || days < 1 || days > 365 };
    setMissing(wrong);
    if (Object.values(wrong).some(Boolean)) return;
    setBusy(true);
    setError(undefined);
    try {
      const pack = { languages, handover: {}, shared, intents: [], forms: [], tests: [] };
      const created = await botApi.create(memberId, { name: name.trim(), languages, pack, retention_days: days });
      navigate(`/org/bots/${created.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const toggle = <T,>(list: T[], value: T, on: boolean) => (on ? [...list.filter((x) => x !== value), value] : list.filter((x) => x !== value));
  return (
    <>
      <PageHeading title={t('chatbot.title')}>{t('chatbot.title')}</PageHeading>
      <Paragraph mb="m">{t('chatbot.intro')}</Paragraph>
      <LoadState loaded={list}>
        {({ bots }) =>
          bots.length === 0 ? (
            <Paragraph mb="l">{t('chatbot.none')}</Paragraph>
          ) : (
            <WrappingTable style={{ marginBottom: 32 }}>
              <Table
                caption={t('chatbot.listCaption')}
                columns={[
                  { key: 'name', labelText: t('chatbot.name') },
                  { key: 'published', labelText: t('chatbot.published') },
                ]}
                data={bots.map((b) => ({
                  id: b.id,
                  name: <AppLink to={`/org/bots/${b.id}`}>{b.name}</AppLink>,
                  published: b.published_version === null ? t('chatbot.notPublished') : t('chatbot.versionN', { n: b.published_version }),
                }))}
              />
            </WrappingTable>
          )
        }
      </LoadState>
      <section aria-labelledby="new-bot">
        <Heading variant="h2" id="new-bot" mb="s">
          {t('chatbot.new')}
        </Heading>
        <TextInput
          labelText={t('chatbot.name')}
          value={name}
          onChange={(v) => setName(String(v ?? ''))}
          maxLength={120}
          status={missing.name ? 'error' : 'default'}
          statusText={missing.name ? t('chatbot.nameMissing') : undefined}
          mb="m"
        />
        <CheckboxGroup labelText={t('chatbot.languages')} groupStatus={missing.languages ? 'error' : 'default'} groupStatusText={missing.languages ? t('chatbot.languagesMissing') : undefined} style={{ marginBottom: 20 }}>
          {BOT_LANGUAGES.map((l) => (
            <Checkbox key={l} checked={languages.includes(l)} onClick={({ checkboxState }) => setLanguages(toggle(languages, l, checkboxState))}>
              {t(`chatbot.language.${l}`)}
            </Checkbox>
          ))}
        </CheckboxGroup>
        <CheckboxGroup labelText={t('chatbot.sharedDialogues')} groupHintText={t('chatbot.sharedHint')} style={{ marginBottom: 20 }}>
          {SHARED_IDS.filter((id) => id !== 'crisis').map((id) => (
            <Checkbox key={id} checked={shared.includes(id)} onClick={({ checkboxState }) => setShared(toggle(shared, id, checkboxState))} hintText={t(`chatbot.shared.${id}.hint`)}>
              {t(`chatbot.shared.${id}.name`)}
            </Checkbox>
          ))}
        </CheckboxGroup>
        <TextInput
          labelText={t('chatbot.retention')}
          hintText={t('chatbot.retentionHint')}
          inputMode="numeric"
          value={retention}
          onChange={(v) => setRetention(String(v ?? ''))}
          status={missing.retention ? 'error' : 'default'}
          statusText={missing.retention ? t('chatbot.retentionWrong') : undefined}
          mb="m"
        />
        <ErrorAlert error={error} />
        <Button onClick={() => void create()} disabled={busy}>
          {t('chatbot.create')}
        </Button>
      </section>
    </>
  );
}
