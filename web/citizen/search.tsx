import { createContext, useContext, useState, type ReactNode } from 'react';
import type { Recommendation, ServiceDetail } from './types.ts';
import { loadPrefs } from './storage.ts';

/**
 * The service search as the person left it: kept while they open a service and come back (in
 * memory only; a reload starts afresh, except for preferences such as the municipality).
 */
export interface SearchForm {
  useCheck: boolean;
  text: string;
  lifeEvent: string;
  municipality: string;
  serviceLanguage: string;
  online: boolean;
}
export interface SearchResult {
  recommendation: Recommendation;
  details: Record<string, ServiceDetail | null>;
  hidden: number;
  /** The service language this one search was limited to, or ''. */
  languageFilter: string;
}

interface SearchState {
  form: SearchForm;
  setForm: (patch: Partial<SearchForm>) => void;
  result: SearchResult | null;
  setResult: (result: SearchResult | null) => void;
  feedback: Record<string, 1 | -1>;
  setFeedback: (serviceId: string, rating: 1 | -1) => void;
}

const Context = createContext<SearchState | null>(null);

export function SearchProvider({ children }: { children: ReactNode }) {
  const prefs = loadPrefs();
  const [form, setFormState] = useState<SearchForm>({
    useCheck: true,
    text: '',
    lifeEvent: '',
    municipality: prefs.municipality ?? '',
    // Never from preferences: a language filter kept from an earlier visit silently emptied later searches.
    serviceLanguage: '',
    online: prefs.online ?? false,
  });
  const [result, setResult] = useState<SearchResult | null>(null);
  const [feedback, setFeedbackState] = useState<Record<string, 1 | -1>>({});
  return (
    <Context.Provider
      value={{
        form,
        setForm: (patch) => setFormState((f) => ({ ...f, ...patch })),
        result,
        setResult: (r) => {
          setResult(r);
          setFeedbackState({});
        },
        feedback,
        setFeedback: (id, rating) => setFeedbackState((f) => ({ ...f, [id]: rating })),
      }}
    >
      {children}
    </Context.Provider>
  );
}

export function useSearch(): SearchState {
  const state = useContext(Context);
  if (!state) throw new Error('useSearch outside SearchProvider');
  return state;
}
