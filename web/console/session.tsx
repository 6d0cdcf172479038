import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, consoleApi, onSessionEnded, type Staff } from './api.ts';

/** Who is logged in: undefined while asking the server, null when nobody. */
interface SessionState {
  staff: Staff | null | undefined;
  setStaff: (staff: Staff | null) => void;
  refresh: () => Promise<void>;
  logOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState>({ staff: undefined, setStaff: () => {}, refresh: async () => {}, logOut: async () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [staff, setStaff] = useState<Staff | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setStaff((await consoleApi.session()).staff);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setStaff(null);
      else throw error;
    }
  }, []);
  const logOut = useCallback(async () => {
    try {
      await consoleApi.logOut();
    } finally {
      setStaff(null);
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setStaff(null));
    onSessionEnded(() => setStaff(null));
  }, [refresh]);
  const value = useMemo(() => ({ staff, setStaff, refresh, logOut }), [staff, refresh, logOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

/** The member organisation whose pages the staff member works on (none for a network administrator). */
export function useMemberId(): string | null {
  const { staff } = useSession();
  return staff?.member?.id ?? null;
}
