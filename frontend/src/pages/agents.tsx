import { useEffect, useState } from 'react';
import { getJson } from '../api/client';
import type { Agent, Run, RunPage } from '../api/types';
import { ACTIVE_STATES } from '../api/types';
import { TriggerRun } from '../components/actions';
import { LoadState } from '../components/common';
import { RunList } from '../components/runs';
import { useSnapshot, useToken } from '../context';
import { Link } from '../router';
import { runsNewestFirst } from '../state/store';

function agentStatus(agent: string, runs: Run[]): { label: string; kind: 'busy' | 'queued' | 'idle' } {
  if (runs.some((run) => run.agent === agent && ACTIVE_STATES.includes(run.state))) return { label: 'Busy', kind: 'busy' };
  if (runs.some((run) => run.agent === agent && run.state === 'queued')) return { label: 'Queued', kind: 'queued' };
  return { label: 'Idle', kind: 'idle' };
}

function triggers(agent: Agent): string {
  const parts = ['manual'];
  if (agent.schedule) parts.push(`cron ${agent.schedule} (UTC)`);
  if (agent.paths?.length) parts.push(`on change of ${agent.paths.join(', ')}`);
  return parts.join(' · ');
}

export function AgentsPage() {
  const { agents, agentsLoad, agentProblems, runs } = useSnapshot();
  const token = useToken();
  const all = runsNewestFirst(runs);
  return (
    <>
      <h1 tabIndex={-1}>Agents</h1>
      {!token && <p className="muted">Reading is open to everyone; set an operator token to start runs.</p>}
      <LoadState load={agentsLoad} what="agents">
        {agents.length === 0 ? (
          <p className="muted">No agents are declared on the default branch.</p>
        ) : (
          <ul className="rows">
            {agents.map((agent) => {
              const status = agentStatus(agent.name, all);
              const last = all.find((run) => run.agent === agent.name);
              return (
                <li key={agent.name} className="row-item" data-agent={agent.name}>
                  <Link to={`/agents/${encodeURIComponent(agent.name)}`} className="strong">
                    {agent.name}
                  </Link>
                  <span className={`badge badge-${status.kind}`}>{status.label}</span>
                  <span className="muted">{triggers(agent)}</span>
                  {last && (
                    <span className="muted">
                      last: <Link to={`/runs/${encodeURIComponent(last.id)}`}>{last.state.replace('_', ' ')}</Link>
                    </span>
                  )}
                  <TriggerRun agent={agent.name} />
                </li>
              );
            })}
          </ul>
        )}
        {agentProblems.length > 0 && (
          <section aria-labelledby="problems">
            <h2 id="problems">Declarations skipped</h2>
            <ul>
              {agentProblems.map((problem, i) => (
                <li key={i}>
                  <span className="mono">{problem.file}</span>
                  {problem.agent && <> · {problem.agent}</>}
                  {problem.field && <> · {problem.field}</>}: {problem.message}
                </li>
              ))}
            </ul>
          </section>
        )}
      </LoadState>
    </>
  );
}

export function AgentPage({ name }: { name: string }) {
  const { agents, agentsLoad, runs, resets } = useSnapshot();
  const agent = agents.find((a) => a.name === name);
  const [history, setHistory] = useState<Run[] | null>(null);
  // this agent's older runs beyond the dashboard's window, read again whenever the runs topic was reset
  useEffect(() => {
    const abort = new AbortController();
    getJson<RunPage>(`/api/v1/runs?agent=${encodeURIComponent(name)}&limit=50`, abort.signal)
      .then((page) => setHistory(page.runs))
      .catch(() => setHistory(null));
    return () => abort.abort();
  }, [name, resets.runs]);
  const merged = new Map<string, Run>((history ?? []).map((run) => [run.id, run]));
  runsNewestFirst(runs)
    .filter((run) => run.agent === name)
    .forEach((run) => merged.set(run.id, run));
  const agentRuns = runsNewestFirst(merged);
  return (
    <>
      <p className="crumbs">
        <Link to="/agents">Agents</Link> /
      </p>
      <h1 tabIndex={-1}>{name}</h1>
      <LoadState load={agentsLoad} what="agents">
        {!agent ? (
          <p className="notice">No agent named “{name}” is declared on the default branch.</p>
        ) : (
          <>
            <dl className="facts">
              <dt>Schedule</dt>
              <dd>{agent.schedule ? `${agent.schedule} (cron, UTC)` : 'none'}</dd>
              <dt>Runs on changes to</dt>
              <dd>{agent.paths?.length ? agent.paths.join(', ') : 'nothing'}</dd>
              <dt>Timeout</dt>
              <dd>{agent.timeout ?? 'default'}</dd>
              {agent.command && (
                <>
                  <dt>Local command</dt>
                  <dd className="mono">{agent.command}</dd>
                </>
              )}
              {agent.workflow && (
                <>
                  <dt>Workflow</dt>
                  <dd className="mono">{agent.workflow}</dd>
                </>
              )}
            </dl>
            <TriggerRun agent={agent.name} />
          </>
        )}
      </LoadState>
      <section aria-labelledby="agent-runs">
        <h2 id="agent-runs">Runs</h2>
        <RunList runs={agentRuns} empty="No runs of this agent yet." showAgent={false} />
      </section>
    </>
  );
}
