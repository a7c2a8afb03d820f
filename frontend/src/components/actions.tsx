import { useState } from 'react';
import { postJson } from '../api/client';
import type { Run } from '../api/types';
import { useDashboard, useToken } from '../context';
import { Link } from '../router';
import { isEnded, useAction } from './common';

/** Queue a run of an agent (operator). Shown only with a token: anonymous visitors cannot act. */
export function TriggerRun({ agent }: { agent: string }) {
  const token = useToken();
  const { store } = useDashboard();
  const action = useAction();
  const [queued, setQueued] = useState<Run | null>(null);
  if (!token) return null;
  const trigger = () =>
    action.run(async () => {
      const run = await postJson<Run>(`/api/v1/agents/${encodeURIComponent(agent)}/runs`);
      store.upsertRuns([run], false);
      setQueued(run);
    });
  return (
    <span className="action">
      <button type="button" onClick={trigger} disabled={action.pending} aria-label={`Run ${agent} now`}>
        {action.pending ? 'Queueing…' : 'Run now'}
      </button>
      <span role="status" className="action-result">
        {action.error && <span className="error">{action.error}</span>}
        {queued && !action.error && (
          <>
            Queued <Link to={`/runs/${encodeURIComponent(queued.id)}`}>run {queued.id}</Link>
          </>
        )}
      </span>
    </span>
  );
}

/** Cancel a queued or active run (operator). */
export function CancelRun({ run }: { run: Run }) {
  const token = useToken();
  const { store } = useDashboard();
  const action = useAction();
  if (!token || isEnded(run)) return null;
  const cancel = () =>
    action.run(async () => {
      store.upsertRuns([await postJson<Run>(`/api/v1/runs/${encodeURIComponent(run.id)}/cancel`)], false);
    });
  return (
    <span className="action">
      <button type="button" className="secondary" onClick={cancel} disabled={action.pending} aria-label={`Cancel run ${run.id}`}>
        {action.pending ? 'Cancelling…' : 'Cancel'}
      </button>
      {action.error && (
        <span role="status" className="error">
          {action.error}
        </span>
      )}
    </span>
  );
}
