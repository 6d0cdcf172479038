import { useTranslation } from 'react-i18next';
import { Checkbox, InlineAlert } from 'suomifi-ui-components';
import { AgeBandSelect } from './AgeBandSelect.tsx';
import { MunicipalitySelect } from './MunicipalitySelect.tsx';

export interface ShareChoice {
  share: boolean;
  municipality: string;
  ageBand: string;
}

/**
 * The choice to share the check's (or a questionnaire's) answers for the area's picture: unticked until the person ticks
 * it, and only then the municipality and age band it needs, with what is kept said beside it.
 */
export function SharePicture({ value, onChange, missing, hint }: { value: ShareChoice; onChange: (next: ShareChoice) => void; missing: boolean; /** What is kept, where it is not the check's ten answers. */ hint?: string }) {
  const { t } = useTranslation('citizen');
  return (
    <fieldset className="panel share-picture">
      <legend>{t('picture.shareLegend')}</legend>
      <Checkbox checked={value.share} onClick={({ checkboxState }) => onChange({ ...value, share: checkboxState })} hintText={hint ?? t('picture.shareHint')}>
        {t('picture.share')}
      </Checkbox>
      {value.share && (
        <>
          <MunicipalitySelect id="share-municipality" label={t('picture.municipality')} value={value.municipality} onChange={(municipality) => onChange({ ...value, municipality })} />
          <AgeBandSelect id="share-age-band" value={value.ageBand} onChange={(ageBand) => onChange({ ...value, ageBand })} />
          {missing && (
            <InlineAlert status="error">{t('picture.shareNeeds')}</InlineAlert>
          )}
        </>
      )}
    </fieldset>
  );
}
