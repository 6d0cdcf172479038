import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, RadioButton, RadioButtonGroup, Table, TextInput } from 'suomifi-ui-components';
import { consoleApi, type StaffUser } from '../../api.ts';
import { ErrorAlert, LoadState, PageHeading, SuccessAlert } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { useSession } from '../../session.tsx';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The organisation's console users; an organisation administrator adds developers and administrators. */
export function Staff({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const { staff: me } = useSession();
  const staff = useLoad((signal) => consoleApi.staff(memberId, { signal }), [memberId]);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'developer' | 'org_admin'>('developer');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const manages = me?.role === 'org_admin' || me?.role === 'network_admin';
  // Each change ends the user's sessions on the server; the list is read again to show the new state.
  const act = async (_user: StaffUser, action: () => Promise<unknown>, success: string) => {
    setBusy(true);
    setActionError(undefined);
    setDone(null);
    setIssued(null);
    try {
      await action();
      setDone(success);
      staff.reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const reset = (user: StaffUser) =>
    act(user, async () => {
      const { password: issuedPassword } = await consoleApi.resetStaffPassword(user.id);
      setIssued(t('staff.newPassword', { name: user.name, password: issuedPassword }));
    }, t('staff.changed', { name: user.name }));
  const remove = (user: StaffUser) => {
    if (window.confirm(t('staff.confirmRemove', { name: user.name }))) void act(user, () => consoleApi.removeStaff(user.id), t('staff.removed', { name: user.name }));
  };
  const actions = (user: StaffUser) =>
    manages && user.id !== me?.id ? (
      <>
        <Button variant="secondaryLight" disabled={busy} onClick={() => void act(user, () => consoleApi.updateStaff(user.id, { role: user.role === 'org_admin' ? 'developer' : 'org_admin' }), t('staff.changed', { name: user.name }))}>
          {user.role === 'org_admin' ? t('staff.makeDeveloper') : t('staff.makeAdmin')}
        </Button>{' '}
        <Button variant="secondaryLight" disabled={busy} onClick={() => void act(user, () => consoleApi.updateStaff(user.id, { disabled: !user.disabled }), t('staff.changed', { name: user.name }))}>
          {user.disabled ? t('staff.enable') : t('staff.disable')}
        </Button>{' '}
        <Button variant="secondaryLight" disabled={busy} onClick={() => void reset(user)}>
          {t('staff.resetPassword')}
        </Button>{' '}
        <Button variant="secondaryNoBorder" disabled={busy} onClick={() => remove(user)}>
          {t('staff.remove')}
        </Button>
      </>
    ) : null;
  const problems = {
    name: name.trim() ? undefined : t('staff.nameMissing'),
    email: EMAIL.test(email.trim()) ? undefined : t('staff.emailInvalid'),
    password: password.length >= 12 ? undefined : t('staff.passwordShort'),
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (problems.name || problems.email || problems.password) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      await consoleApi.addStaff(memberId, { name: name.trim(), email: email.trim(), role, password });
      setDone(t('staff.added', { name: name.trim() }));
      setName('');
      setEmail('');
      setPassword('');
      setRole('developer');
      setSubmitted(false);
      staff.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof problems) => ({
    status: submitted && problems[key] ? ('error' as const) : ('default' as const),
    statusText: submitted ? problems[key] : undefined,
  });

  return (
    <>
      <PageHeading title={t('staff.title')}>{t('staff.title')}</PageHeading>
      <Paragraph mb="l">{t('staff.intro')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <SuccessAlert>{issued}</SuccessAlert>
      <ErrorAlert error={actionError} />
      <LoadState loaded={staff}>
        {({ staff: list }) =>
          list.length === 0 ? (
            <Paragraph>{t('staff.empty')}</Paragraph>
          ) : (
            <Table
              caption={t('staff.caption', { name: me?.member?.name ?? '' })}
              mb="xl"
              columns={[
                { key: 'name', labelText: t('staff.name') },
                { key: 'email', labelText: t('staff.email') },
                { key: 'role', labelText: t('staff.role') },
                { key: 'totp', labelText: t('staff.totp') },
                { key: 'state', labelText: t('staff.state') },
                ...(manages ? [{ key: 'actions', labelText: t('staff.actions') }] : []),
              ]}
              data={list.map((s) => ({
                id: s.id,
                name: s.name,
                email: s.email,
                role: t(`roles.${s.role}`),
                totp: s.totp_enabled ? t('app.yes') : t('app.no'),
                state: s.disabled ? t('staff.disabledState') : t('staff.active'),
                actions: actions(s),
              }))}
            />
          )
        }
      </LoadState>
      <Heading variant="h2" mb="s">
        {t('staff.add')}
      </Heading>
      <form onSubmit={add} noValidate>
        <TextInput labelText={t('staff.nameLabel')} value={name} onChange={(v) => setName(String(v ?? ''))} autoComplete="off" fullWidth mb="m" {...field('name')} />
        <TextInput labelText={t('staff.emailLabel')} type="email" value={email} onChange={(v) => setEmail(String(v ?? ''))} autoComplete="off" fullWidth mb="m" {...field('email')} />
        <RadioButtonGroup labelText={t('staff.roleLabel')} name="staff-role" value={role} onChange={(v) => setRole(v as 'developer' | 'org_admin')} mb="m">
          <RadioButton value="developer">{t('roles.developer')}</RadioButton>
          <RadioButton value="org_admin">{t('roles.org_admin')}</RadioButton>
        </RadioButtonGroup>
        <TextInput
          labelText={t('staff.passwordLabel')}
          hintText={t('staff.passwordHint')}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(v) => setPassword(String(v ?? ''))}
          fullWidth
          mb="m"
          {...field('password')}
        />
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy}>
          {t('staff.addButton')}
        </Button>
      </form>
    </>
  );
}
