import { type ReactNode, useCallback, useState } from 'react';
import { describe } from '../api/client';
import type { Run, RunState } from '../api/types';
import { ENDED_STATES } from '../api/types';
import type { Load } from '../state/store';

const STATE_LABEL: Record<RunState, string> = {
  queued: 'Queued',
  dispatched: 'Dispatched',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  timed_out: 'Timed out',
};

export function StateBadge({ state }: { state: RunState }) {
  return <span className={`badge badge-${state}`}>{STATE_LABEL[state] ?? state}</span>;
}

/** Any service's state word as a badge: `timed_out` reads "Timed out", `in_progress` "In progress". */
export function Badge({ state, label }: { state: string; label?: string }) {
  const words = state.replace(/_/g, ' ');
  return <span className={`badge badge-${state}`}>{label ?? words[0].toUpperCase() + words.slice(1)}</span>;
}

export function isEnded(run: Run): boolean {
  return ENDED_STATES.includes(run.state);
}

// one formatter for the page: toLocaleString(…, options) builds a new one per call, which on a list of runs is most
// of the render's time on a slow phone
const LOCAL_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function When({ at }: { at?: string }) {
  if (!at) return <span className="muted">—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={at}>
      {LOCAL_TIME.format(date)}
    </time>
  );
}

export function triggerText(run: Run): string {
  const trigger = run.trigger;
  switch (trigger?.type) {
    case 'manual':
      return `manual by ${trigger.requester}`;
    case 'scheduled':
      return 'schedule';
    case 'on_change':
      return `change ${trigger.commitSha.slice(0, 7)}`;
    default:
      return '—';
  }
}

/** Loading, failure and "this API is not there" states, said plainly; children only when loaded. */
export function LoadState({ load, what, children }: { load: Load; what: string; children: ReactNode }) {
  if (load.kind === 'loading') return <p className="muted">Loading {what}…</p>;
  if (load.kind === 'error') {
    return (
      <p className={load.unavailable ? 'notice' : 'error'} role="status">
        {load.unavailable ? `The ${what} API is not available: ` : `Could not load ${what}: `}
        {load.message}
      </p>
    );
  }
  return <>{children}</>;
}

export interface Action {
  pending: boolean;
  error: string | null;
  run: (work: () => Promise<void>) => Promise<void>;
}

export function useAction(): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (work: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(describe(e));
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, run };
}
