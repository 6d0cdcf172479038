import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../shared/i18n.ts';
import type { CodeItem } from '../types.ts';
import { loc } from '../text.ts';
import { useApi } from '../../shared/load.ts';

/** The municipality code list (2023) as a searchable select. */
export function useMunicipalities() {
  const { i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const { data } = useApi<{ items: CodeItem[] }>(`/api/v1/codelists/municipalities?lang=${language}`);
  return useMemo(
    () => (data?.items ?? []).map((m) => ({ code: m.code, name: loc(m.name, language) })).sort((a, b) => a.name.localeCompare(b.name, language)),
    [data, language],
  );
}

/**
 * A native select: suomifi's SingleSelect points aria-controls at a list that exists only while
 * open (an axe violation), and a browser's own select is searchable by typing on every platform.
 */
export function MunicipalitySelect({ value, onChange, hint, id = 'municipality', label }: { value: string; onChange: (code: string) => void; hint?: string; id?: string; label?: string }) {
  const { t } = useTranslation('citizen');
  const municipalities = useMunicipalities();
  return (
    <div className="field">
      <label htmlFor={id}>{label ?? t('find.municipality')}</label>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...(hint ? { 'aria-describedby': `${id}-hint` } : {})}>
        <option value="">–</option>
        {value && !municipalities.some((m) => m.code === value) && <option value={value}>{value}</option>}
        {municipalities.map((m) => (
          <option key={m.code} value={m.code}>
            {m.name}
          </option>
        ))}
      </select>
    </div>
  );
}
