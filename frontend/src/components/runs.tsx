import type { Run } from '../api/types';
import { Link } from '../router';
import { CancelRun } from './actions';
import { StateBadge, When, triggerText } from './common';

/** Runs as a list of rows that wrap on a phone instead of a table that scrolls sideways. */
export function RunList({ runs, empty, showAgent = true }: { runs: Run[]; empty: string; showAgent?: boolean }) {
  if (runs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="rows">
      {runs.map((run) => (
        <li key={run.id} className="row-item" data-run={run.id} data-state={run.state}>
          <StateBadge state={run.state} />
          <Link to={`/runs/${encodeURIComponent(run.id)}`} className="mono">
            {run.id}
          </Link>
          {showAgent && (
            <Link to={`/agents/${encodeURIComponent(run.agent)}`} className="strong">
              {run.agent}
            </Link>
          )}
          <span className="muted">{triggerText(run)}</span>
          <span className="muted">
            <When at={run.finishedAt ?? run.startedAt ?? run.dispatchedAt ?? run.queuedAt} />
          </span>
          <CancelRun run={run} />
        </li>
      ))}
    </ul>
  );
}
