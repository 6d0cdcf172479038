import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { HelpLine } from '../types.ts';

/** Lines that answer at once when someone may be in danger; shown before everything else. */
export const isUrgentLine = (line: HelpLine) => line.kind === 'emergency' || line.kind === 'crisis';

// 112 is the same everywhere in Finland: the block says it even when the server left it out.
const EMERGENCY_112: HelpLine = { id: 'client-112', kind: 'emergency', name: '112', phone: '112', description: '', hours: null, url: null };

/** A phone number as a tel: link target: digits and a leading +, nothing else. */
const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

export function HelpLineList({ lines }: { lines: HelpLine[] }) {
  const { t } = useTranslation('citizen');
  return (
    <ul className="help-lines">
      {lines.map((line) => (
        <li key={line.id} className={`help-line help-line--${line.kind}`}>
          <p className="help-line__name">{line.name}</p>
          <p className="help-line__call">
            <a href={telHref(line.phone)}>{t('find.help.call', { phone: line.phone })}</a>
          </p>
          {line.hours && <p className="help-line__hours">{t('find.help.hours', { hours: line.hours })}</p>}
          {line.description && <p className="help-line__description">{line.description}</p>}
          {line.url && (
            <p>
              <a href={line.url}>
                {t('find.help.website')}
                <span className="visually-hidden">: {line.name}</span>
              </a>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * "If you are in danger now, call 112" and the crisis lines. Calm on purpose (no red, nothing
 * moving): a person in a crisis needs a clear next step, not an alarm. Its heading takes focus when
 * the results arrive, so a screen reader reads it before any service.
 */
export const CrisisHelp = forwardRef<HTMLHeadingElement, { lines: HelpLine[] }>(function CrisisHelp({ lines }, headingRef) {
  const { t } = useTranslation('citizen');
  const shown = lines.some((l) => l.kind === 'emergency') ? lines : [EMERGENCY_112, ...lines];
  // Emergency first, then the crisis lines in the server's order.
  const ordered = [...shown.filter((l) => l.kind === 'emergency'), ...shown.filter((l) => l.kind !== 'emergency')];
  return (
    <section className="crisis-help" aria-labelledby="crisis-help-title">
      <h2 id="crisis-help-title" tabIndex={-1} ref={headingRef}>
        {t('find.crisis.title')}
      </h2>
      <p>{t('find.crisis.intro')}</p>
      <HelpLineList lines={ordered} />
    </section>
  );
});
