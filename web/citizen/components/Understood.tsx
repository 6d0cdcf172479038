import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/i18n.ts';
import type { Understood } from '../types.ts';

/** A sentence ends with its stop: the server's `said` texts may come without one. */
const sentence = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/**
 * "What we understood: You said you lost your job." The person sees they were heard, and can
 * correct us when we heard wrong.
 */
export function WhatWeUnderstood({ understood, language, onFix }: { understood: Understood | undefined; language: Language; onFix: () => void }) {
  const { t } = useTranslation('citizen');
  if (!understood || understood.situations.length === 0) return null;
  const readInOther = understood.language !== language;
  return (
    <div className="understood">
      <p>
        <strong>{t('find.understood.label')}</strong> {understood.situations.map((s) => sentence(s.said)).join(' ')}
        {readInOther && <> {t('find.understood.language', { language: t(`find.understood.languages.${understood.language}`) })}</>}
      </p>
      <p>
        <button type="button" className="link-button link-button--flush" onClick={onFix}>
          {t('find.understood.fix')}
        </button>
      </p>
    </div>
  );
}
