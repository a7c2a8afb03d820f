import { useState } from 'react';
import { ApiError, describe, getText } from '../api/client';

type Shown = { kind: 'closed' } | { kind: 'loading' } | { kind: 'text'; text: string } | { kind: 'none'; message: string };

/** A step's output, read when asked for (and again with the same button): logs are never streamed or polled. */
/** `what`: the visible name ("attempt 2", "the health check"); `of`: what it belongs to, for screen readers ("build 01J…") */
export function LogView({ path, what, of }: { path: string; what: string; of: string }) {
  const label = `output of ${what} of ${of}`;
  const [shown, setShown] = useState<Shown>({ kind: 'closed' });
  const load = () => {
    setShown({ kind: 'loading' });
    getText(path)
      .then(({ text }) => setShown({ kind: 'text', text }))
      .catch((e) => setShown({ kind: 'none', message: e instanceof ApiError && e.status === 404 ? e.message : describe(e) }));
  };
  return (
    <div className="log-view">
      {/* the accessible name starts with the visible text (WCAG 2.5.3) and says whose output it is */}
      <button type="button" className="link" onClick={load} aria-label={`${shown.kind === 'text' ? 'Refresh' : 'Show'} ${label}`}>
        {shown.kind === 'text' ? 'Refresh' : 'Show'} output of {what}
      </button>
      <div aria-live="polite">
        {shown.kind === 'loading' && <span className="muted">Loading…</span>}
        {shown.kind === 'none' && <span className="muted">{shown.message}</span>}
        {shown.kind === 'text' && (
          <pre className="log" tabIndex={0} aria-label={label}>
            {shown.text || '(no output)'}
          </pre>
        )}
      </div>
    </div>
  );
}
