import { useCallback, useEffect, useState } from 'react';
import { ApiError, describe, getJson, getText } from '../api/client';
import type { Run } from '../api/types';
import { ACTIVE_STATES } from '../api/types';
import { CancelRun } from '../components/actions';
import { LoadState, StateBadge, When, isEnded, triggerText } from '../components/common';
import { RunList } from '../components/runs';
import { useDashboard, useSnapshot } from '../context';
import { Link } from '../router';
import { runsNewestFirst } from '../state/store';

export function RunsPage() {
  const { runs, runsLoad } = useSnapshot();
  const all = runsNewestFirst(runs);
  return (
    <>
      <h1 tabIndex={-1}>Runs</h1>
      <LoadState load={runsLoad} what="runs">
        <section aria-labelledby="active">
          <h2 id="active">Active</h2>
          <RunList runs={all.filter((run) => ACTIVE_STATES.includes(run.state))} empty="No run is active." />
        </section>
        <section aria-labelledby="queued">
          <h2 id="queued">Queued</h2>
          <RunList runs={all.filter((run) => run.state === 'queued').reverse()} empty="Nothing is queued." />
        </section>
        <section aria-labelledby="recent">
          <h2 id="recent">Recent</h2>
          <RunList runs={all.filter(isEnded).slice(0, 50)} empty="No run has finished yet." />
        </section>
      </LoadState>
    </>
  );
}

type LogState = { kind: 'loading' } | { kind: 'ok'; text: string; total?: number } | { kind: 'none'; message: string };

export function RunPage({ id }: { id: string }) {
  const { store } = useDashboard();
  const { runs, resets } = useSnapshot();
  const run = runs.get(id);
  const [error, setError] = useState<string | null>(null);
  const [log, setLog] = useState<LogState>({ kind: 'loading' });

  // the run itself: from the store when the dashboard has it, else (an old run, a deep link) from the API
  useEffect(() => {
    const abort = new AbortController();
    getJson<Run>(`/api/v1/runs/${encodeURIComponent(id)}`, abort.signal)
      .then((fetched) => store.upsertRuns([fetched], true))
      .catch((e) => {
        if (!abort.signal.aborted) setError(describe(e));
      });
    return () => abort.abort();
  }, [id, store, resets.runs]);

  const loadLog = useCallback(
    (signal?: AbortSignal) =>
      getText(`/api/v1/runs/${encodeURIComponent(id)}/log`, signal)
        .then(({ text, total }) => setLog({ kind: 'ok', text, total }))
        .catch((e) => {
          if (signal?.aborted) return;
          setLog({ kind: 'none', message: e instanceof ApiError && e.status === 404 ? e.message : describe(e) });
        }),
    [id],
  );
  // the log is read again whenever the run changes state (an event, not a timer); "Refresh" reads it on demand
  const state = run?.state;
  useEffect(() => {
    const abort = new AbortController();
    void loadLog(abort.signal);
    return () => abort.abort();
  }, [loadLog, state]);

  return (
    <>
      <p className="crumbs">
        <Link to="/runs">Runs</Link> /
      </p>
      <h1 tabIndex={-1} className="mono">
        Run {id}
      </h1>
      {!run ? (
        <LoadState load={error ? { kind: 'error', message: error, unavailable: false } : { kind: 'loading' }} what="the run">
          {null}
        </LoadState>
      ) : (
        <>
          <p className="run-state" aria-live="polite">
            <StateBadge state={run.state} /> {run.reason && <span>{run.reason}</span>}
          </p>
          <dl className="facts">
            <dt>Agent</dt>
            <dd>
              <Link to={`/agents/${encodeURIComponent(run.agent)}`}>{run.agent}</Link>
            </dd>
            <dt>Trigger</dt>
            <dd>{triggerText(run)}</dd>
            <dt>Queued</dt>
            <dd>
              <When at={run.queuedAt} />
            </dd>
            <dt>Dispatched</dt>
            <dd>
              <When at={run.dispatchedAt} />
            </dd>
            <dt>Started</dt>
            <dd>
              <When at={run.startedAt} />
            </dd>
            <dt>Finished</dt>
            <dd>
              <When at={run.finishedAt} />
            </dd>
            {run.runner && (
              <>
                <dt>Runner</dt>
                <dd>
                  {run.runner.kind}
                  {run.runner.url && (
                    <>
                      {' '}
                      · <a href={run.runner.url} rel="noreferrer noopener" target="_blank">workflow run</a>
                    </>
                  )}
                  {run.runner.branch && (
                    <>
                      {' '}
                      · branch <span className="mono">{run.runner.branch}</span>
                    </>
                  )}
                </dd>
              </>
            )}
          </dl>
          <CancelRun run={run} />
        </>
      )}
      <section aria-labelledby="log">
        <h2 id="log">Output</h2>
        {log.kind === 'loading' && <p className="muted">Loading the output…</p>}
        {log.kind === 'none' && <p className="muted">{log.message}</p>}
        {log.kind === 'ok' && (
          <pre className="log" tabIndex={0} aria-label="Run output">
            {log.text || '(no output yet)'}
          </pre>
        )}
        <button type="button" className="secondary" onClick={() => void loadLog()}>
          Refresh output
        </button>
      </section>
    </>
  );
}
