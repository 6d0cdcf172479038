import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

let firstRender = true;
/**
 * The page's h1. After an in-app navigation focus moves to it, so screen reader and keyboard users
 * start at the new page's top, and the document title follows it.
 */
export function PageTitle({ children, lang }: { children: ReactNode; /** The title's language, where it is not the page's (catalogue text in Finnish only). */ lang?: string | undefined }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation('citizen');
  useEffect(() => {
    document.title = `${ref.current?.textContent ?? ''} – ${t('app.name')}`;
  }, [children, t]);
  // Only when the page (this heading) is new, not when its language changes.
  useEffect(() => {
    if (firstRender) firstRender = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title" lang={lang}>
      {children}
    </h1>
  );
}

