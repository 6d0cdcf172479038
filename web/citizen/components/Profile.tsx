import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'suomifi-ui-components';
import { currentLanguage } from '../../shared/i18n.ts';
import { my } from '../person.ts';
import { latestCheck, personKey } from '../storage.ts';
import { formatDateTime } from '../text.ts';
import { MunicipalitySelect, useMunicipalities } from './MunicipalitySelect.tsx';
import { Problem } from './Problem.tsx';

interface ProfileAttribute {
  name: string;
  value: unknown;
  updated_at: string;
  updated_by: 'person' | 'service';
  service_name?: string;
}
interface ProfileEvent {
  attribute: string;
  event: 'stored' | 'changed' | 'removed' | 'store-allowed';
  by: 'person' | 'service';
  service_name?: string;
  at: string;
}

/** The attributes a person edits here by hand; the life-situation ratings come from their latest check. */
const EDITABLE = ['age', 'municipality_code', 'tampere_demo_flag'] as const;
type Editable = (typeof EDITABLE)[number];

/** My data's profile: the attributes kept (encrypted on the server), each removable; adding or changing one; the history of who did what. */
export function Profile({ title, hasKey }: { title: (name: string) => string; hasKey: boolean }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const municipalities = useMunicipalities();
  const [profile, setProfile] = useState<{ attributes: ProfileAttribute[]; history: ProfileEvent[] } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [status, setStatus] = useState('');
  const [name, setName] = useState<Editable>('age');
  const [value, setValue] = useState('');

  const load = useCallback(async () => {
    if (!personKey()) return setProfile(null);
    try {
      setProfile(await my('/profile'));
    } catch (e) {
      setError(e as Error);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, hasKey]);

  const spoken = (attribute: string, v: unknown): string => {
    if (typeof v === 'boolean') return v ? t('profile.yes') : t('profile.no');
    if (attribute === 'municipality_code' && typeof v === 'string') return municipalities.find((m) => m.code === v)?.name ?? v;
    if (attribute === 'life_situation_meters' && v && typeof v === 'object') return t('profile.meters', { count: Object.keys(v).length });
    return String(v);
  };
  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    setStatus('');
    try {
      await work();
      await load();
      setStatus(done);
    } catch (e) {
      setError(e as Error);
    }
  };
  const parsed = (): unknown => (name === 'age' ? Number(value) : name === 'tampere_demo_flag' ? value === 'true' : value);
  const save = () => act(() => my(`/profile/attributes/${name}`, { method: 'PUT', body: { value: parsed() } }, { create: true }), t('profile.saved'));
  const check = latestCheck();
  const saveCheck = () =>
    act(
      () =>
        my('/profile/attributes/life_situation_meters', { method: 'PUT', body: { value: Object.fromEntries(Object.entries(check!.meters).filter(([, v]) => v !== undefined).map(([k, v]) => [k, [v]])) } }, { create: true }),
      t('profile.saved'),
    );

  return (
    <section aria-labelledby="profile" data-testid="profile">
      <h2 id="profile">{t('profile.title')}</h2>
      <p>{t('profile.intro')}</p>
      <p role="status">{status}</p>
      {error && <Problem error={error} retry={() => void load()} />}
      {!profile || profile.attributes.length === 0 ? (
        <p>{t('profile.empty')}</p>
      ) : (
        <dl className="facts profile-attributes">
          {profile.attributes.map((a) => (
            <div key={a.name} data-attribute={a.name}>
              <dt>{title(a.name)}</dt>
              <dd>
                <strong>{spoken(a.name, a.value)}</strong>{' '}
                <span className="hint">
                  ({a.updated_by === 'person' ? t('profile.byPerson', { date: formatDateTime(a.updated_at, language) }) : t('profile.byService', { service: a.service_name ?? '', date: formatDateTime(a.updated_at, language) })})
                </span>{' '}
                <button type="button" className="link-button" aria-label={t('profile.removeLabel', { name: title(a.name) })} onClick={() => void act(() => my(`/profile/attributes/${a.name}`, { method: 'DELETE' }), t('profile.removed'))}>
                  {t('profile.remove')}
                </button>
              </dd>
            </div>
          ))}
        </dl>
      )}

      <form
        className="profile-edit"
        aria-labelledby="profile-change"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3 id="profile-change">{t('profile.change')}</h3>
        <div className="field">
          <label htmlFor="profile-attribute">{t('profile.attribute')}</label>
          <select
            id="profile-attribute"
            value={name}
            onChange={(e) => {
              setName(e.target.value as Editable);
              setValue('');
            }}
          >
            {EDITABLE.map((n) => (
              <option key={n} value={n}>
                {title(n)}
              </option>
            ))}
          </select>
        </div>
        {name === 'municipality_code' ? (
          <MunicipalitySelect id="profile-value" value={value} onChange={setValue} label={t('profile.value')} />
        ) : name === 'tampere_demo_flag' ? (
          <div className="field">
            <label htmlFor="profile-value">{t('profile.value')}</label>
            <select id="profile-value" value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">–</option>
              <option value="true">{t('profile.yes')}</option>
              <option value="false">{t('profile.no')}</option>
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="profile-value">{t('profile.value')}</label>
            <input id="profile-value" type="number" inputMode="numeric" min={0} max={200} value={value} onChange={(e) => setValue(e.target.value)} />
          </div>
        )}
        <div className="actions">
          <Button type="submit" variant="secondary" disabled={value === ''}>
            {t('profile.save')}
          </Button>
          {check && (
            <Button variant="secondary" onClick={() => void saveCheck()}>
              {t('profile.saveCheck')}
            </Button>
          )}
        </div>
      </form>

      <h3>{t('profile.history')}</h3>
      {!profile || profile.history.length === 0 ? (
        <p>{t('profile.historyEmpty')}</p>
      ) : (
        <ul className="plain-list profile-history">
          {profile.history.map((h, i) => (
            <li key={i}>
              {formatDateTime(h.at, language)}: {title(h.attribute)} – {t(`profile.event.${h.event}`)} ({h.by === 'person' ? t('profile.you') : h.service_name})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
