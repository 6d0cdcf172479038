import { useTranslation } from 'react-i18next';
import { AGE_BANDS } from '../picture.ts';

/** The age bands the picture is counted in, as a native select (see MunicipalitySelect for why native). */
export function AgeBandSelect({ value, onChange, id = 'age-band' }: { value: string; onChange: (band: string) => void; id?: string }) {
  const { t } = useTranslation('citizen');
  return (
    <div className="field">
      <label htmlFor={id}>{t('picture.ageBand')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">–</option>
        {AGE_BANDS.map((band) => (
          <option key={band} value={band}>
            {t('picture.years', { band })}
          </option>
        ))}
      </select>
    </div>
  );
}
