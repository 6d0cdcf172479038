import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../shared/i18n.ts';
import { PageTitle } from '../components/PageTitle.tsx';
import { AppLink } from '../../shared/router.tsx';
import { latestCheck, onStorageChange } from '../storage.ts';
import { formatDate } from '../text.ts';

export function useLatestCheck() {
  return useSyncExternalStore(onStorageChange, () => JSON.stringify(latestCheck() ?? null));
}

export function Home() {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const latest = JSON.parse(useLatestCheck()) as ReturnType<typeof latestCheck> | null;
  return (
    <div className="home">
      <PageTitle>{t('home.title')}</PageTitle>
      <p className="lead">{t('home.lead')}</p>
      <div className="actions">
        <AppLink to="/check" className="button button--primary">
          {t('home.startCheck')}
        </AppLink>
        <AppLink to="/find" className="button button--secondary">
          {t('home.find')}
        </AppLink>
      </div>
      {latest && (
        <p>
          {t('home.latest', { date: formatDate(latest.taken_at, language) })}: <AppLink to="/check/result">{t('home.seeLatest')}</AppLink>
        </p>
      )}
      <p>
        {t('home.questionnaire')} <AppLink to="/q">{t('home.questionnaireLink')}</AppLink>
      </p>
      <p className="privacy-note">{t('home.privacy')}</p>
    </div>
  );
}
