import { useTranslation } from 'react-i18next';

// The server shows only services above its relevance threshold; above this one, we say "good".
const GOOD_FIT = 0.7;

/** How well a service fits, in words (never a bare number, never colour alone). */
export function FitLabel({ confidence }: { confidence: number | undefined }) {
  const { t } = useTranslation('citizen');
  if (confidence === undefined) return null;
  const good = confidence >= GOOD_FIT;
  return (
    <span className={`fit fit--${good ? 'good' : 'possible'}`}>
      <span className="fit__mark" aria-hidden="true" />
      {t(good ? 'find.fit.good' : 'find.fit.possible')}
    </span>
  );
}
