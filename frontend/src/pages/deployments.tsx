// Deployments: each environment with what runs there now, its last good deployment, the success rate deploy-service
// computes and whether automatic deploys are paused; the newest deployments with their state and kind; and what an
// operator may do (deploy, approve or reject a waiting deployment, revert, pause, resume). Deployment events move the
// deployments; the environments' figures are the service's to compute, so they are read again after each event.

import { type FormEvent, useId, useState } from 'react';
import { postJson } from '../api/client';
import {
  type Deployment,
  type DeploymentPage,
  type Environment,
  type EnvironmentList,
  type Pause,
  isDeployment,
} from '../api/deployments';
import { Badge, LoadState, When, useAction } from '../components/common';
import { RecentEvents } from '../components/events';
import { LogView } from '../components/log';
import { OperatorAction } from '../components/operator';
import { useEvents, useSnapshot, useToken } from '../context';
import { mergeNewer, newestFirst, percent, useApiRead } from '../state/records';

export const DEPLOYMENTS_PAGE = '/api/v1/deployments?limit=50';

const enc = encodeURIComponent;
const short = (sha: string) => sha.slice(0, 7);

export function DeploymentsPage() {
  const { resets } = useSnapshot();
  const token = useToken();
  // read again when the topic was reset, and under a new token (with anonymous reads off, the first read was refused)
  const readKey = `${resets.deployments}:${token ?? ''}`;
  const [list, setList] = useState<EnvironmentList>({ environments: [], problems: [] });
  const [deployments, setDeployments] = useState<ReadonlyMap<string, Deployment>>(new Map());
  const environments = useApiRead<EnvironmentList>('/api/v1/environments', readKey, setList);
  const page = useApiRead<DeploymentPage>(DEPLOYMENTS_PAGE, readKey, (answer) =>
    setDeployments((known) => mergeNewer(known, answer.deployments, true)),
  );
  const changed = (deployment: Deployment) => {
    setDeployments((known) => mergeNewer(known, [deployment], false));
    environments.refresh();
  };
  const paused = (environment: string, pause: Pause | undefined) => {
    setList((known) => ({
      ...known,
      environments: known.environments.map((e) => (e.name === environment ? { ...e, paused: !!pause, pause } : e)),
    }));
    environments.refresh();
  };

  useEvents('deployments', (event) => {
    if (isDeployment(event.data)) setDeployments((known) => mergeNewer(known, [event.data as Deployment], false));
    // current, last good, active, the pause and the success rate move with every deployment event
    environments.refresh();
  });

  const all = newestFirst(deployments, 50);
  return (
    <>
      <h1 tabIndex={-1}>Deployments</h1>
      {!token && (
        <p className="muted">Reading is open to everyone; set an operator token to deploy, approve, reject, revert or pause.</p>
      )}
      <section aria-labelledby="environments">
        <h2 id="environments">Environments</h2>
        <LoadState load={environments.load} what="deployments">
          {list.environments.length === 0 ? (
            <p className="muted">No environments are declared in .monkeytown/environments.yaml.</p>
          ) : (
            <ul className="rows">
              {list.environments.map((environment) => (
                <EnvironmentRow
                  key={environment.name}
                  environment={environment}
                  reverts={all.filter((d) => d.environment === environment.name && d.kind === 'revert')}
                  onDeployment={changed}
                  onPause={(pause) => paused(environment.name, pause)}
                />
              ))}
            </ul>
          )}
          {list.problems.length > 0 && (
            <>
              <h3>Declarations skipped</h3>
              <ul>
                {list.problems.map((problem, i) => (
                  <li key={i}>
                    <span className="mono">{problem.file}</span>
                    {problem.environment && <> · {problem.environment}</>}
                    {problem.field && <> · {problem.field}</>}: {problem.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </LoadState>
      </section>
      <section aria-labelledby="deployments">
        <h2 id="deployments">Latest deployments</h2>
        <LoadState load={page.load} what="deployments">
          {all.length === 0 ? (
            <p className="muted">No deployments yet.</p>
          ) : (
            <ul className="rows">
              {all.map((deployment) => (
                <DeploymentRow key={deployment.id} deployment={deployment} onChange={changed} />
              ))}
            </ul>
          )}
        </LoadState>
      </section>
      <RecentEvents topics={['deployments']} />
    </>
  );
}

function DeploymentRef({ deployment }: { deployment?: Deployment }) {
  if (!deployment) return <span className="muted">none</span>;
  return (
    <>
      <span className="mono">{short(deployment.sha)}</span> ({deployment.kind}, <span className="mono">{deployment.id}</span>){' '}
      <Badge state={deployment.state} /> <When at={deployment.finishedAt ?? deployment.createdAt} />
    </>
  );
}

function rate(share: number | undefined): string {
  return share === undefined || share === null ? 'nothing ended' : percent(share);
}

function EnvironmentRow({
  environment,
  reverts,
  onDeployment,
  onPause,
}: {
  environment: Environment;
  reverts: Deployment[];
  onDeployment: (deployment: Deployment) => void;
  onPause: (pause: Pause | undefined) => void;
}) {
  const { name, current, lastGood } = environment;
  const revertToLastGood = lastGood && lastGood.id !== current?.id;
  return (
    <li className="row-item" data-environment={name} data-paused={environment.paused}>
      <h3 className="row-title">{name}</h3>
      {environment.production && <Badge state="production" label="Production" />}
      {environment.paused && <Badge state="paused" label="Paused" />}
      <span className="muted">
        from {environment.branch}
        {environment.autoDeploy && ', every new commit'}
        {environment.approval && ', after approval'}
        {environment.requires.length > 0 && `, needs ${environment.requires.join(', ')} built`}
      </span>
      <dl className="facts wide">
        <dt>Current</dt>
        <dd>
          <DeploymentRef deployment={current} />
        </dd>
        <dt>Last good</dt>
        <dd>
          <DeploymentRef deployment={lastGood} />
        </dd>
        {environment.active && (
          <>
            <dt>Holding it</dt>
            <dd>
              <DeploymentRef deployment={environment.active} />
            </dd>
          </>
        )}
        <dt>Success rate</dt>
        <dd>
          7 days: {rate(environment.successRate?.days7)} · 30 days: {rate(environment.successRate?.days30)}
        </dd>
        {environment.pause && (
          <>
            <dt>Paused</dt>
            <dd>
              {environment.pause.reason.replace(/_/g, ' ')} by {environment.pause.by}, <When at={environment.pause.at} />:{' '}
              {environment.pause.detail}
            </dd>
          </>
        )}
        {reverts.length > 0 && (
          <>
            <dt>Reverts</dt>
            <dd>
              <ul className="plain">
                {reverts.map((revert) => (
                  <li key={revert.id}>
                    <span className="mono">{revert.id}</span> to <span className="mono">{short(revert.sha)}</span>
                    {revert.revertOf && (
                      <>
                        {' '}
                        after <span className="mono">{revert.revertOf}</span>
                      </>
                    )}{' '}
                    by {revert.requestedBy ?? 'deploy-service'} <Badge state={revert.state} />
                  </li>
                ))}
              </ul>
              <span className="muted">(among the latest deployments)</span>
            </dd>
          </>
        )}
      </dl>
      <DeployForm environment={name} onQueued={onDeployment} />
      {revertToLastGood ? (
        <OperatorAction
          label="Revert to last good"
          ariaLabel={`Revert ${name} to last good`}
          busyLabel="Reverting…"
          secondary
          confirm={`Deploy ${short(lastGood.sha)} (deployment ${lastGood.id}) to ${name} again and pause automatic deploys?`}
          submitLabel="Revert"
          perform={async () => {
            const revert = await postJson<Deployment>(`/api/v1/environments/${enc(name)}/revert`, { to: lastGood.id });
            onDeployment(revert);
            return `Queued revert ${revert.id}`;
          }}
        />
      ) : (
        current?.healthy && (
          <OperatorAction
            label="Revert to the previous good deployment"
            ariaLabel={`Revert ${name} to the previous good deployment`}
            busyLabel="Reverting…"
            secondary
            confirm={`Deploy the good deployment before ${short(current.sha)} to ${name} again and pause automatic deploys?`}
            submitLabel="Revert"
            perform={async () => {
              const revert = await postJson<Deployment>(`/api/v1/environments/${enc(name)}/revert`, {});
              onDeployment(revert);
              return `Queued revert ${revert.id}`;
            }}
          />
        )
      )}
      <OperatorAction
        offered={environment.paused}
        label="Resume"
        ariaLabel={`Resume ${name}`}
        busyLabel="Resuming…"
        secondary
        reason={{ label: 'Why (optional)', required: false }}
        perform={async (reason) => {
          await postJson(`/api/v1/environments/${enc(name)}/resume`, reason ? { reason } : {});
          onPause(undefined);
          return `${name} resumed`;
        }}
      />
      <OperatorAction
        offered={!environment.paused}
        label="Pause"
        ariaLabel={`Pause ${name}`}
        busyLabel="Pausing…"
        secondary
        reason={{ label: 'Why pause it?', required: true }}
        perform={async (reason) => {
          const status = await postJson<{ paused?: Pause }>(`/api/v1/environments/${enc(name)}/pause`, { reason });
          onPause(status.paused);
          return `${name} paused`;
        }}
      />
    </li>
  );
}

/** Deploy a commit or a build's commit: exactly one of sha and buildId, as POST .../deployments takes. */
function DeployForm({ environment, onQueued }: { environment: string; onQueued: (deployment: Deployment) => void }) {
  const token = useToken();
  const action = useAction();
  const [what, setWhat] = useState<'sha' | 'buildId'>('sha');
  const [value, setValue] = useState('');
  const [queued, setQueued] = useState<Deployment | null>(null);
  const id = useId();
  if (!token) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      setQueued(null);
      const deployment = await postJson<Deployment>(`/api/v1/environments/${enc(environment)}/deployments`, {
        [what]: value.trim(),
      });
      onQueued(deployment);
      setQueued(deployment);
      setValue('');
    });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={`Deploy to ${environment}`}>
      <label htmlFor={`${id}-what`}>Deploy to {environment}</label>
      <select id={`${id}-what`} value={what} onChange={(e) => setWhat(e.target.value as 'sha' | 'buildId')}>
        <option value="sha">commit (full id)</option>
        <option value="buildId">build id</option>
      </select>
      <label htmlFor={`${id}-value`} className="visually-hidden">
        {what === 'sha' ? 'Commit id' : 'Build id'} to deploy to {environment}
      </label>
      <input
        id={`${id}-value`}
        type="text"
        className="mono"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" disabled={action.pending}>
        {action.pending ? 'Queueing…' : 'Deploy'}
      </button>
      <span role="status" className="action-result">
        {action.error ? (
          <span className="error">{action.error}</span>
        ) : (
          queued && (
            <>
              Queued deployment <span className="mono">{queued.id}</span>
              {queued.state === 'waiting' && ', waiting for approval'}
            </>
          )
        )}
      </span>
    </form>
  );
}

function DeploymentRow({ deployment, onChange }: { deployment: Deployment; onChange: (deployment: Deployment) => void }) {
  const decide = (verb: 'approve' | 'reject') => async (reason: string | undefined) => {
    onChange(await postJson<Deployment>(`/api/v1/deployments/${enc(deployment.id)}/${verb}`, { reason }));
    return verb === 'approve' ? 'Approved' : 'Rejected';
  };
  const waitsForAnOperator = deployment.state === 'waiting' && !deployment.approval;
  return (
    <li className="row-item" data-deployment={deployment.id} data-state={deployment.state} data-kind={deployment.kind}>
      <Badge state={deployment.state} />
      <Badge state={`kind-${deployment.kind}`} label={deployment.kind} />
      <span className="mono">{deployment.id}</span>
      <span className="strong">{deployment.environment}</span>
      <span className="mono">{short(deployment.sha)}</span>
      <span className="muted">
        by {deployment.requestedBy ?? '—'}, <When at={deployment.createdAt} />
      </span>
      {deployment.revertOf && (
        <span className="muted">
          reverts <span className="mono">{deployment.revertOf}</span>
        </span>
      )}
      {deployment.revertedBy && (
        <span className="muted">
          reverted by <span className="mono">{deployment.revertedBy}</span>
        </span>
      )}
      {deployment.approval && (
        <span className="muted">
          {deployment.approval.approved ? 'approved' : 'rejected'} by {deployment.approval.by}: {deployment.approval.reason}
        </span>
      )}
      {deployment.reason && <span className="muted">{deployment.reason}</span>}
      {deployment.startedAt && (
        <details className="attempts">
          <summary>Output</summary>
          <LogView path={`/api/v1/deployments/${enc(deployment.id)}/log?step=deploy`} what="the deploy step" of={`deployment ${deployment.id}`} />
          <LogView path={`/api/v1/deployments/${enc(deployment.id)}/log?step=health`} what="the health check" of={`deployment ${deployment.id}`} />
        </details>
      )}
      <OperatorAction
        offered={waitsForAnOperator}
        label="Approve"
        ariaLabel={`Approve deployment ${deployment.id}`}
        busyLabel="Approving…"
        reason={{ label: 'Why approve it?', required: true }}
        perform={decide('approve')}
      />
      <OperatorAction
        offered={waitsForAnOperator}
        label="Reject"
        ariaLabel={`Reject deployment ${deployment.id}`}
        busyLabel="Rejecting…"
        secondary
        reason={{ label: 'Why reject it?', required: true }}
        perform={decide('reject')}
      />
    </li>
  );
}
