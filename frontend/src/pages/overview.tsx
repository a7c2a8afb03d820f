import { useState } from 'react';
import { FIRING_ALERTS, type AlertList } from '../api/alerts';
import { ACTIVE_STATES } from '../api/types';
import { LoadState } from '../components/common';
import { RunList } from '../components/runs';
import { useEvents, useSnapshot, useToken } from '../context';
import { Link } from '../router';
import { useApiRead } from '../state/records';
import { runsNewestFirst } from '../state/store';

export function OverviewPage() {
  const { runs, runsLoad, agents, agentsLoad, agentProblems } = useSnapshot();
  // alerts are not for anonymous visitors (the gateway refuses them): no card, and no request that would be refused
  const token = useToken();
  const all = runsNewestFirst(runs);
  const queued = all.filter((run) => run.state === 'queued').length;
  const active = all.filter((run) => ACTIVE_STATES.includes(run.state));
  return (
    <>
      <h1 tabIndex={-1}>Overview</h1>
      <section aria-labelledby="summary" className="cards">
        <h2 id="summary" className="visually-hidden">
          Summary
        </h2>
        <Link to="/agents" className="card">
          <span className="figure">{agentsLoad.kind === 'ok' ? agents.length : '–'}</span> agents declared
        </Link>
        <Link to="/runs" className="card">
          <span className="figure">{runsLoad.kind === 'ok' ? active.length : '–'}</span> runs active
        </Link>
        <Link to="/runs" className="card">
          <span className="figure">{runsLoad.kind === 'ok' ? queued : '–'}</span> runs queued
        </Link>
        <Link to="/agents" className="card">
          <span className="figure">{agentsLoad.kind === 'ok' ? agentProblems.length : '–'}</span> declaration problems
        </Link>
        {token && <FiringCard />}
      </section>
      <section aria-labelledby="latest">
        <h2 id="latest">Latest runs</h2>
        <LoadState load={runsLoad} what="runs">
          <RunList runs={all.slice(0, 10)} empty="No runs yet. An operator can start one from an agent's page." />
        </LoadState>
        <p>
          <Link to="/runs">All runs</Link>
        </p>
      </section>
    </>
  );
}

/** Alerts firing, from deploy-service's receiver (with a token); read again on alert events, "–" while unreadable. */
function FiringCard() {
  const { resets } = useSnapshot();
  const token = useToken();
  const [firing, setFiring] = useState(0);
  const read = useApiRead<AlertList>(FIRING_ALERTS, `${resets.alerts}:${token ?? ''}`, (list) => setFiring(list.alerts.length));
  useEvents('alerts', (event) => {
    if (event.event.startsWith('alert.')) read.refresh();
  });
  return (
    <Link to="/alerts" className="card" data-firing={read.load.kind === 'ok' ? firing : undefined}>
      <span className="figure">{read.load.kind === 'ok' ? firing : '–'}</span> {firing === 1 && read.load.kind === 'ok' ? 'alert' : 'alerts'} firing
    </Link>
  );
}
