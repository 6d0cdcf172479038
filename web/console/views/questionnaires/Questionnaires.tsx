import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, Table, TextInput } from 'suomifi-ui-components';
import { consoleApi, type Questionnaire } from '../../api.ts';
import { AppLink, ErrorAlert, LoadState, PageHeading, Small, WrappingTable, formatDateTime, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { useRouter } from '../../../shared/router.tsx';
import { localized } from '../../../shared/questionnaire-form.tsx';
import { newDraft } from '../../questionnaire-draft.ts';
import { QuestionnaireEditor } from './QuestionnaireEditor.tsx';
import { QuestionnaireRuns } from './QuestionnaireRuns.tsx';

/** The member's questionnaires: the list, a new one by its title, and one questionnaire's editor and runs. */
export function Questionnaires({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const { navigate } = useRouter();
  const list = useLoad((signal) => consoleApi.questionnaires(memberId, { signal }), [memberId]);
  const [title, setTitle] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    if (!title.trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const created = await consoleApi.createQuestionnaire(memberId, newDraft({ [language]: title.trim() }, { [language]: t('questionnaires.firstQuestion') }));
      navigate(`/org/questionnaires/${created.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title={t('questionnaires.title')}>{t('questionnaires.title')}</PageHeading>
      <Paragraph mb="m">{t('questionnaires.intro')}</Paragraph>
      <LoadState loaded={list}>
        {({ questionnaires }) =>
          questionnaires.length === 0 ? (
            <Paragraph mb="l">{t('questionnaires.none')}</Paragraph>
          ) : (
            <WrappingTable style={{ marginBottom: 32 }}>
              <Table
                caption={t('questionnaires.listCaption')}
                columns={[
                  { key: 'name', labelText: t('questionnaires.name') },
                  { key: 'published', labelText: t('questionnaires.published') },
                  { key: 'updated', labelText: t('questionnaires.updated') },
                ]}
                data={questionnaires.map((q) => ({
                  id: q.id,
                  name: <AppLink to={`/org/questionnaires/${q.id}`}>{localized(q.title, language) || t('questionnaires.untitled')}</AppLink>,
                  published: q.latest_version === null ? t('questionnaires.notPublished') : t('questionnaires.versionN', { n: q.latest_version }),
                  updated: formatDateTime(q.updated_at, language),
                }))}
              />
            </WrappingTable>
          )
        }
      </LoadState>
      <section aria-labelledby="new-questionnaire">
        <Heading variant="h2" id="new-questionnaire" mb="s">
          {t('questionnaires.new')}
        </Heading>
        <TextInput
          labelText={t('questionnaires.newTitle')}
          hintText={t('questionnaires.newTitleHint')}
          value={title}
          onChange={(v) => {
            setTitle(String(v ?? ''));
            setMissing(false);
          }}
          maxLength={1000}
          status={missing ? 'error' : 'default'}
          statusText={missing ? t('questionnaires.newTitleMissing') : undefined}
          fullWidth
          mb="m"
        />
        <ErrorAlert error={error} />
        <Button onClick={() => void create()} disabled={busy}>
          {t('questionnaires.create')}
        </Button>
      </section>
    </>
  );
}

/** One questionnaire: its draft in the editor, publishing, and its runs with their results. */
export function QuestionnaireDetail({ memberId, id }: { memberId: string; id: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const loaded = useLoad((signal) => consoleApi.questionnaire(memberId, id, { signal }), [memberId, id]);
  const [current, setCurrent] = useState<Questionnaire | undefined>(undefined);
  const q = current ?? loaded.data;
  const title = q ? localized(q.draft.title, language) || t('questionnaires.untitled') : t('questionnaires.title');
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <Paragraph mb="m">
        <AppLink to="/org/questionnaires">{t('questionnaires.back')}</AppLink>
      </Paragraph>
      <LoadState loaded={loaded}>
        {() =>
          q && (
            <>
              {/* Once published, runs and results are what the organiser comes back for: they come first, the draft after them. */}
              {q.versions.length > 0 && <QuestionnaireRuns memberId={memberId} questionnaire={q} />}
              <QuestionnaireEditor memberId={memberId} questionnaire={q} onChanged={setCurrent} />
              {q.versions.length === 0 && <QuestionnaireRuns memberId={memberId} questionnaire={q} />}
              <Small>{t('questionnaires.updatedAt', { at: formatDateTime(q.updated_at, language) })}</Small>
            </>
          )
        }
      </LoadState>
    </>
  );
}
