import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Text, Textarea, TextInput } from 'suomifi-ui-components';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { ServiceSearch } from '../../components/ServiceSearch.tsx';
import { errorsAt, type Pack } from './bot-api.ts';

type Intent = Pack['intents'][number];

const Card = styled.section`
  border: 1px solid #c8cdd0;
  padding: 16px 20px;
  margin-bottom: 24px;
  ul.services {
    list-style: none;
    padding: 0;
    margin: 0 0 12px;
  }
  ul.services li {
    display: flex;
    gap: 12px;
    align-items: center;
    padding: 4px 0;
  }
`;

/** Examples are edited one a line: a whisperer writes phrasings as a list, and pasting a list from elsewhere just works. */
export const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** One intent: its id, its examples and answer in each of the bot's languages, the member's services it links to, a form to fill after it. */
export function IntentEditor(props: { index: number; intent: Intent; pack: Pack; errors: { field: string; message: string }[]; serviceNames: Map<string, string>; onChange: (intent: Intent) => void; onRemove: () => void; onNamed: (id: string, name: string) => void }) {
  const { t } = useTranslation('console');
  const { intent, index } = props;
  const at = (field: string) => errorsAt(props.errors, `intents.${index}.${field}`);
  // The server's messages are English for developers; the two an id meets are said in the whisperer's language.
  const readable = (field: string, message: string) => (field !== 'id' ? message : /pattern/.test(message) ? t('chatbot.intentIdHint') : /repeats/.test(message) ? t('chatbot.intentIdRepeated') : message);
  const fieldStatus = (field: string) => (at(field) ? { status: 'error' as const, statusText: t('chatbot.refusedField', { message: readable(field, at(field)!) }) } : {});
  const services = intent.answer.services ?? [];
  const headingId = `intent-${index}`;
  return (
    <Card aria-labelledby={headingId}>
      <Heading variant="h3" id={headingId} mb="s">
        {t('chatbot.intentN', { id: intent.id || t('chatbot.unnamed') })}
      </Heading>
      <TextInput labelText={t('chatbot.intentId')} hintText={t('chatbot.intentIdHint')} value={intent.id} onChange={(v) => props.onChange({ ...intent, id: String(v ?? '') })} maxLength={60} mb="m" {...fieldStatus('id')} />
      {props.pack.languages.map((l) => (
        <div key={l}>
          <Textarea
            labelText={t('chatbot.examplesIn', { language: t(`chatbot.languageIn.${l}`) })}
            hintText={t('chatbot.examplesHint')}
            value={(intent.examples[l] ?? []).join('\n')}
            onChange={(e) => props.onChange({ ...intent, examples: { ...intent.examples, [l]: e.target.value.split('\n') } })}
            onBlur={() => props.onChange({ ...intent, examples: { ...intent.examples, [l]: linesOf((intent.examples[l] ?? []).join('\n')) } })}
            rows={5}
            fullWidth
            mb="m"
            {...fieldStatus(`examples.${l}`)}
          />
          <Textarea
            labelText={t('chatbot.answerIn', { language: t(`chatbot.languageIn.${l}`) })}
            value={intent.answer.text[l] ?? ''}
            onChange={(e) => props.onChange({ ...intent, answer: { ...intent.answer, text: { ...intent.answer.text, [l]: e.target.value } } })}
            rows={3}
            fullWidth
            mb="m"
            {...fieldStatus(`answer.text.${l}`)}
          />
        </div>
      ))}
      <Heading variant="h4" mb="xs">
        {t('chatbot.services')}
      </Heading>
      {services.length === 0 ? (
        <Text>{t('chatbot.noServices')}</Text>
      ) : (
        <ul className="services">
          {services.map((id) => (
            <li key={id}>
              <span>{props.serviceNames.get(id) ?? id}</span>
              <Button variant="secondaryNoBorder" onClick={() => props.onChange({ ...intent, answer: { ...intent.answer, services: services.filter((s) => s !== id) } })} aria-label={`${t('chatbot.unlink')}: ${props.serviceNames.get(id) ?? id}`}>
                {t('chatbot.unlink')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {at('answer.services') && (
        <p role="alert" style={{ color: '#c3153a' }}>
          {t('chatbot.refusedField', { message: at('answer.services') })}
        </p>
      )}
      <ServiceSearch
        id={`intent-${index}-services`}
        label={t('chatbot.serviceSearch')}
        pickLabel={t('chatbot.link')}
        disabledIds={new Set(services)}
        disabledLabel={t('chatbot.linked')}
        onPick={(service, name) => {
          props.onNamed(service.id, name);
          props.onChange({ ...intent, answer: { ...intent.answer, services: [...services, service.id] } });
        }}
      />
      {props.pack.forms.length > 0 && (
        <NativeSelect
          label={t('chatbot.form')}
          optionalText={t('app.optional')}
          value={intent.form ?? ''}
          onChange={(v) => props.onChange(v ? { ...intent, form: v } : (({ form: _, ...rest }) => rest)(intent))}
          options={[{ value: '', label: t('chatbot.noForm') }, ...props.pack.forms.map((f) => ({ value: f.id, label: f.id }))]}
        />
      )}
      <Button variant="secondary" onClick={props.onRemove} aria-label={`${t('chatbot.removeIntent')}: ${intent.id}`}>
        {t('chatbot.removeIntent')}
      </Button>
    </Card>
  );
}
