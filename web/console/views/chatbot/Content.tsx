import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { consoleApi, localText } from '../../api.ts';
import { SuccessAlert, useLanguage } from '../../components/common.tsx';
import type { SectionProps } from './Bot.tsx';
import { SHARED_IDS } from './shared-ids.ts';
import { errorsAt, type BotLanguage, type Pack } from './bot-api.ts';
import { IntentEditor, linesOf } from './IntentEditor.tsx';

/** The draft without the empty lines an example list has while it is being typed. */
export function tidy(pack: Pack): Pack {
  return { ...pack, intents: pack.intents.map((i) => ({ ...i, examples: Object.fromEntries(Object.entries(i.examples).map(([l, list]) => [l, linesOf((list ?? []).join('\n'))])) })) };
}

/** What keeps the draft from being published, in words: "intents.0.answer.text.sv" → the intent and the language. */
export function useBlockerText() {
  const { t } = useTranslation('console');
  return (pack: Pack, field: string) => {
    const m = /^(intents|forms)\.(\d+)\.(.+)\.(fi|sv|en)$/.exec(field);
    if (!m) return field === 'handover' ? t('chatbot.blocker.handover') : field;
    const id = m[1] === 'intents' ? pack.intents[Number(m[2])]?.id : pack.forms[Number(m[2])]?.id;
    const what = m[3]!.startsWith('examples') ? 'examples' : m[3]!.startsWith('answer') ? 'answer' : 'text';
    return t(`chatbot.blocker.${what}`, { id, language: t(`chatbot.languageIn.${m[4] as BotLanguage}`) });
  };
}

/** The intents, the handover and the shared dialogues of the draft, saved together. */
export function Content({ memberId, bot, draft, setDraft, save, fieldErrors }: SectionProps) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const blockerText = useBlockerText();
  const [names, setNames] = useState(new Map<string, string>());
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    consoleApi.services(memberId, { signal: controller.signal }).then(
      ({ services }) => setNames((old) => new Map([...services.map((s) => [s.service_id, localText(s.name, language)] as const), ...old])),
      () => {},
    );
    return () => controller.abort();
  }, [memberId, language]);
  const change = (pack: Pack) => {
    setSaved(false);
    setDraft(pack);
  };
  const onSave = async () => {
    setBusy(true);
    const ok = await save(tidy(draft));
    setBusy(false);
    setSaved(ok);
  };
  const handoverError = (f: string) => errorsAt(fieldErrors, `handover.${f}`);
  const unplaced = fieldErrors.filter((e) => !/^(intents\.\d+\.(id|examples|answer|form)|handover\.)/.test(e.field));
  return (
    <>
      <section aria-labelledby="intents-heading">
        <Heading variant="h2" id="intents-heading" mb="s">
          {t('chatbot.intents')}
        </Heading>
        <Paragraph mb="m">{t('chatbot.intentsIntro')}</Paragraph>
        {draft.intents.length === 0 && <Paragraph mb="m">{t('chatbot.noIntents')}</Paragraph>}
        {draft.intents.map((intent, i) => (
          <IntentEditor
            key={i}
            index={i}
            intent={intent}
            pack={draft}
            errors={fieldErrors}
            serviceNames={names}
            onNamed={(id, name) => setNames(new Map(names).set(id, name))}
            onChange={(next) => change({ ...draft, intents: draft.intents.map((x, k) => (k === i ? next : x)) })}
            onRemove={() => change({ ...draft, intents: draft.intents.filter((_, k) => k !== i) })}
          />
        ))}
        <Button variant="secondary" onClick={() => change({ ...draft, intents: [...draft.intents, { id: `intent-${draft.intents.length + 1}`, examples: {}, answer: { text: {} } }] })}>
          {t('chatbot.addIntent')}
        </Button>
      </section>
      <section aria-labelledby="handover-heading" style={{ marginTop: 32 }}>
        <Heading variant="h2" id="handover-heading" mb="s">
          {t('chatbot.handover')}
        </Heading>
        <Paragraph mb="m">{t('chatbot.handoverIntro')}</Paragraph>
        {(['phone', 'chat_url'] as const).map((f) => (
          <TextInput
            key={f}
            labelText={t(`chatbot.handover_${f}`)}
            optionalText={t('app.optional')}
            value={draft.handover[f] ?? ''}
            onChange={(v) => change({ ...draft, handover: { ...draft.handover, [f]: String(v ?? '') || undefined } })}
            status={handoverError(f) ? 'error' : 'default'}
            statusText={handoverError(f) ? t('chatbot.refusedField', { message: handoverError(f) }) : undefined}
            mb="m"
          />
        ))}
      </section>
      <section aria-labelledby="shared-heading" style={{ marginTop: 32 }}>
        <Heading variant="h2" id="shared-heading" mb="s">
          {t('chatbot.sharedDialogues')}
        </Heading>
        <CheckboxGroup labelText={t('chatbot.sharedIncluded')} groupHintText={t('chatbot.sharedHint')} style={{ marginBottom: 20 }}>
          {SHARED_IDS.filter((id) => id !== 'crisis').map((id) => (
            <Checkbox
              key={id}
              checked={draft.shared.includes(id)}
              onClick={({ checkboxState }) => change({ ...draft, shared: checkboxState ? [...draft.shared.filter((s) => s !== id), id] : draft.shared.filter((s) => s !== id) })}
              hintText={t(`chatbot.shared.${id}.hint`)}
            >
              {t(`chatbot.shared.${id}.name`)}
            </Checkbox>
          ))}
        </CheckboxGroup>
      </section>
      {unplaced.length > 0 && (
        <div role="alert" style={{ color: '#c3153a', marginBottom: 16 }}>
          {t('chatbot.refusedOther')}
          <ul>
            {unplaced.map((e) => (
              <li key={e.field}>
                <code lang="en">
                  {e.field}: {e.message}
                </code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {fieldErrors.length > 0 && (
        <Paragraph role="alert" mb="s">
          {t('chatbot.saveRefused', { n: fieldErrors.length })}
        </Paragraph>
      )}
      <SuccessAlert>{saved ? t('chatbot.saved') : ''}</SuccessAlert>
      <Button onClick={() => void onSave()} disabled={busy}>
        {t('chatbot.saveDraft')}
      </Button>
      {bot.publish_blockers.length > 0 && (
        <section aria-labelledby="blockers-heading" style={{ marginTop: 32 }}>
          <Heading variant="h3" id="blockers-heading" mb="s">
            {t('chatbot.blockers')}
          </Heading>
          <ul>
            {bot.publish_blockers.map((b) => (
              <li key={b}>{blockerText(bot.draft, b)}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
