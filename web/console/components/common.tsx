import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Link, InlineAlert, Modal, ModalContent, ModalFooter, ModalTitle, Paragraph, StaticChip, Textarea } from 'suomifi-ui-components';
import { ApiError } from '../api.ts';
import { useFollow, useRouter } from '../../shared/router.tsx';
import { currentLanguage, type Language } from '../../shared/i18n.ts';
import type { Loaded } from '../../shared/load.ts';
import type { ConsoleTexts } from '../locales/fi.ts';

/** The view's h1. It takes the focus when the view opens, so a screen reader announces the new view. */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  // suomifi's Heading types its ref without null, as React 18 did.
  const ref = useRef<HTMLHeadingElement>(null) as RefObject<HTMLHeadingElement>;
  const { t } = useTranslation('console');
  const { navigations } = useRouter();
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  // Not on the page's first view: there the skip link stays the first stop of the Tab key.
  useEffect(() => {
    if (navigations > 0) ref.current?.focus({ preventScroll: true });
  }, [navigations]);
  return (
    <Heading variant="h1" tabIndex={-1} forwardedRef={ref} mb="m" style={{ outline: 'none' }}>
      {children}
    </Heading>
  );
}

/** A link to a console view in the suomi.fi style: a real href (open in a new tab works), followed in place on a plain click. */
export function AppLink({ to, children, className, ...rest }: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' | undefined }) {
  const { href } = useRouter();
  return (
    <Link href={href(to)} onClick={useFollow(to)} className={className} {...rest}>
      {children}
    </Link>
  );
}

export function useLanguage(): Language {
  const { i18n } = useTranslation('console');
  return currentLanguage(i18n);
}

/**
 * What to tell the user about a failed call, in their language, with what to do next. The API's own
 * detail is English written for developers: it is not the message, only a toggle's content for
 * whoever helps the user (see ErrorAlert).
 */
export function useErrorText() {
  const { t } = useTranslation('console');
  return useCallback(
    (error: unknown): string => {
      // A message of the view's own, already in the user's language.
      if (typeof error === 'string') return error;
      if (error instanceof ApiError) {
        if (error.status === 0) return t('app.networkError');
        if (error.status === 429) return t('app.retryIn', { seconds: error.retryAfter ?? 60 });
        if (error.status === 403) return t('app.forbidden');
        if (error.status === 401) return t('app.sessionExpired');
        if (error.status === 400 || error.status === 413) return t('app.refused');
        if (error.status === 404) return t('app.gone');
        if (error.status === 409) return t('app.changed');
      }
      return t('app.serverError');
    },
    [t],
  );
}

const TechnicalDetails = styled.details`
  margin-top: 8px;
  font-size: 14px;
  summary {
    cursor: pointer;
  }
  code {
    overflow-wrap: anywhere;
  }
`;

export function ErrorAlert({ error }: { error: unknown }) {
  const text = useErrorText();
  const { t } = useTranslation('console');
  if (!error) return null;
  const detail =
    error instanceof ApiError && error.status !== 0
      ? [error.detail ?? error.title, ...error.errors.map((e) => `${e.field}: ${e.message}`)].filter(Boolean).join(' – ')
      : typeof error === 'string'
        ? ''
        : String((error as Error)?.message ?? '');
  return (
    <InlineAlert status="error" mb="m" role="alert">
      {text(error)}
      {detail && (
        <TechnicalDetails>
          <summary>{t('app.technicalDetails')}</summary>
          <code lang="en">{detail}</code>
        </TechnicalDetails>
      )}
    </InlineAlert>
  );
}

/** A polite announcement of something that went well (saved, copied). */
export function SuccessAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <InlineAlert status="neutral" mb="m" aria-live="polite" role="status">
      {children}
    </InlineAlert>
  );
}

/** A view's body while its data loads or when loading failed; the children once it is there. */
export function LoadState<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation('console');
  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  if (loaded.data === undefined)
    return (
      <Paragraph role="status" aria-live="polite">
        {t('app.loading')}
      </Paragraph>
    );
  return <>{children(loaded.data)}</>;
}

const locales: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export function formatDateTime(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locales[language], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locales[language], { dateStyle: 'medium' }).format(date);
}

export function formatNumber(value: number, language: Language, digits = 0): string {
  return new Intl.NumberFormat(locales[language], { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

/**
 * Asks before a consequential action; with `reasonLabel` it also asks why (required). The
 * dialog keeps the focus inside and Escape cancels it.
 */
export function ConfirmDialog(props: {
  visible: boolean;
  title: string;
  text?: string;
  reasonLabel?: string;
  reasonHint?: string;
  confirmText: string;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('console');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    if (props.visible) {
      setReason('');
      setMissing(false);
      setError(undefined);
    }
  }, [props.visible]);
  const confirm = async () => {
    if (props.reasonLabel && reason.trim() === '') {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
      props.onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal visible={props.visible} appElementId="root" onEscKeyDown={props.onClose} ariaLabelledBy="confirm-title">
      <ModalContent>
        <ModalTitle id="confirm-title">{props.title}</ModalTitle>
        {props.text && <Paragraph mb="m">{props.text}</Paragraph>}
        {props.reasonLabel && (
          <Textarea
            labelText={props.reasonLabel}
            hintText={props.reasonHint}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            status={missing ? 'error' : 'default'}
            statusText={missing ? t('members.reasonMissing') : undefined}
            maxLength={1000}
            fullWidth
          />
        )}
        <ErrorAlert error={error} />
      </ModalContent>
      <ModalFooter>
        <Button onClick={confirm} disabled={busy}>
          {props.confirmText}
        </Button>
        <Button variant="secondary" onClick={props.onClose}>
          {t('app.cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}

/**
 * Around a suomifi Table whose cells hold sentences (names, explanations): they wrap, so that the
 * table fits the page instead of scrolling sideways past its actions (suomifi keeps cells on one line).
 */
export const WrappingTable = styled.div`
  & .fi-table {
    white-space: normal;
  }
  & .fi-table td,
  & .fi-table th {
    vertical-align: top;
    /* Break between words, not inside them ("Palvelupist-e"); an address breaks where it must. */
    word-break: normal;
    overflow-wrap: break-word;
  }
  & .fi-table .fi-button {
    white-space: nowrap;
  }
`;

/** A secondary line in a table cell (an ID under a name, a date under another). */
export const Small = styled.span`
  display: block;
  font-size: 14px;
  line-height: 20px;
  color: #5f686d;
  overflow-wrap: anywhere;
`;

const Chip = styled(StaticChip)`
  &.fi-chip .fi-chip--content {
    white-space: nowrap;
    word-break: normal;
  }
`;

/** A status (pending, approved, active, revoked…) as a chip, in words. */
export function StatusChip({ status }: { status: keyof ConsoleTexts['status'] }) {
  const { t } = useTranslation('console');
  return <Chip>{t(`status.${status}`)}</Chip>;
}

// Waiting: dark text on amber, so that it does not read as the blue "done" chips.
const PendingChip = styled(Chip)`
  &&.fi-chip {
    background: #fff1d6;
    color: #2a2a2a;
    box-shadow: inset 0 0 0 1px #c65c00;
  }
`;

/** A member's claim on a service: verified, or waiting for the network administrator's approval. */
export function ClaimChip({ status }: { status: 'pending' | 'verified' }) {
  const { t } = useTranslation('console');
  return status === 'pending' ? <PendingChip>{t('claimStatus.pending')}</PendingChip> : <Chip>{t('claimStatus.verified')}</Chip>;
}

/** Who did something, from the audit log's actor ("staff:someone@example.fi", "client:aur_…"). */
export function actorText(actor: string): string {
  const colon = actor.indexOf(':');
  return colon > 0 && ['staff', 'applicant', 'login'].includes(actor.slice(0, colon)) ? actor.slice(colon + 1) : actor;
}
