import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../shared/router.tsx';
import type { HelpLine, TryInstead } from '../types.ts';
import { HelpLineList } from './HelpLines.tsx';

const KNOWN_KINDS: TryInstead['kind'][] = ['life_event', 'life_situation_check', 'help_line', 'rephrase'];

/**
 * The honest answer when no service fits: say so in plain words, then what to try instead — never
 * an empty list: the server's options, or the app's own when it sent none that can be used.
 */
export function NothingFits({
  tryInstead,
  adviceLines,
  onRephrase,
  onLifeEvent,
}: {
  tryInstead: TryInstead[];
  adviceLines: HelpLine[];
  onRephrase: () => void;
  onLifeEvent: (lifeEvent: string) => void;
}) {
  const { t } = useTranslation('citizen');
  // A help-line option with no line to show would be a dead end, and a kind this app does not know an empty item.
  const usable = tryInstead.filter(
    (o) => KNOWN_KINDS.includes(o.kind) && (o.kind !== 'help_line' || adviceLines.length > 0) && (o.kind !== 'life_event' || o.life_event),
  );
  // An older server sends no options: offer the ones that always work rather than none.
  const options: TryInstead[] = usable.length
    ? usable
    : [
        { kind: 'rephrase', text: t('find.nothingFits.rephrase') },
        { kind: 'life_situation_check', text: t('find.nothingFits.check') },
      ];
  return (
    <div className="nothing-fits">
      <p>{t('find.nothingFits.body')}</p>
      <h3>{t('find.nothingFits.tryTitle')}</h3>
      <ul className="try-instead">
        {options.map((option, i) => (
          <li key={i}>
            <TryInsteadAction option={option} adviceLines={adviceLines} onRephrase={onRephrase} onLifeEvent={onLifeEvent} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function TryInsteadAction({ option, adviceLines, onRephrase, onLifeEvent }: { option: TryInstead; adviceLines: HelpLine[]; onRephrase: () => void; onLifeEvent: (lifeEvent: string) => void }) {
  switch (option.kind) {
    case 'life_event':
      return (
        <button type="button" className="try-instead__action" onClick={() => onLifeEvent(option.life_event!)}>
          {option.text}
        </button>
      );
    case 'life_situation_check':
      return (
        <AppLink to="/check" className="try-instead__action">
          {option.text}
        </AppLink>
      );
    case 'help_line':
      return <ShowAdviceLines text={option.text} lines={adviceLines} />;
    case 'rephrase':
      return (
        <button type="button" className="try-instead__action" onClick={onRephrase}>
          {option.text}
        </button>
      );
  }
}

/** Someone to talk to: the advice lines open under the option (a disclosure, focus stays put). */
function ShowAdviceLines({ text, lines }: { text: string; lines: HelpLine[] }) {
  const { t } = useTranslation('citizen');
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="try-instead__action" aria-expanded={open} aria-controls="advice-lines" onClick={() => setOpen(!open)}>
        {text}
      </button>
      <div id="advice-lines" className="advice-lines" hidden={!open}>
        <h4>{t('find.help.advice')}</h4>
        <HelpLineList lines={lines} />
      </div>
    </>
  );
}
