// Builds: the declared pipelines with their failure streaks and holds, the newest builds with their attempts, and what
// an operator may do about them (queue, retry, cancel, unhold). REST for the first load and after a reset of the
// builds topic; build events move the builds, and the streak figures are read again when an event says they changed.

import { useState } from 'react';
import { postJson } from '../api/client';
import { BUILD_ENDED, BUILD_RETRYABLE, type BranchStreak, type Build, type BuildPage, type Pipeline, isBuild } from '../api/builds';
import { Badge, LoadState, When } from '../components/common';
import { RecentEvents } from '../components/events';
import { LogView } from '../components/log';
import { OperatorAction } from '../components/operator';
import { useEvents, useSnapshot, useToken } from '../context';
import { mergeNewer, newestFirst, useApiRead } from '../state/records';

export const BUILDS_PAGE = '/api/v1/builds?limit=50';
/** events after which a pipeline's streak or hold may differ (a first failure publishes only alert.raised) */
const STREAK_EVENTS = new Set(['build.held', 'build.unheld', 'build.fixed', 'build.still-failing']);
const STREAK_STATES = new Set(['succeeded', 'failed', 'timed_out']);

const enc = encodeURIComponent;

/** A build event carries the stored record, without the waiting reason a REST answer adds: keep it while it holds. */
function withWaiting(known: Build | undefined, build: Build): Build {
  return known?.waiting && known.state === build.state && !BUILD_ENDED.includes(build.state) ? { ...build, waiting: known.waiting } : build;
}

export function BuildsPage() {
  const { resets } = useSnapshot();
  const token = useToken();
  // read again when the topic was reset, and under a new token (with anonymous reads off, the first read was refused)
  const readKey = `${resets.builds}:${token ?? ''}`;
  const [pipelines, setPipelines] = useState<Pipeline[]>([]);
  const [builds, setBuilds] = useState<ReadonlyMap<string, Build>>(new Map());
  const pipelinesRead = useApiRead<Pipeline[]>('/api/v1/pipelines', readKey, setPipelines);
  const buildsRead = useApiRead<BuildPage>(BUILDS_PAGE, readKey, (page) =>
    setBuilds((known) => mergeNewer(known, page.builds, true)),
  );
  const upsert = (build: Build) => setBuilds((known) => mergeNewer(known, [withWaiting(known.get(build.id), build)], false));

  useEvents('builds', (event) => {
    if (isBuild(event.data)) upsert(event.data);
    if (STREAK_EVENTS.has(event.event) || (isBuild(event.data) && STREAK_STATES.has(event.data.state))) pipelinesRead.refresh();
  });

  const unheld = (pipeline: string, streak: BranchStreak) =>
    setPipelines((known) =>
      known.map((p) => {
        if (p.name !== pipeline) return p;
        const branches = p.branches.map((b) => (b.branch === streak.branch ? streak : b));
        return { ...p, branches, held: branches.some((b) => b.held) };
      }),
    );

  const all = newestFirst(builds, 50);
  return (
    <>
      <h1 tabIndex={-1}>Builds</h1>
      {!token && <p className="muted">Reading is open to everyone; set an operator token to queue, retry, cancel or unhold builds.</p>}
      <section aria-labelledby="pipelines">
        <h2 id="pipelines">Pipelines</h2>
        <LoadState load={pipelinesRead.load} what="builds">
          {pipelines.length === 0 ? (
            <p className="muted">No pipelines are declared in .monkeytown/builds.yaml.</p>
          ) : (
            <ul className="rows">
              {pipelines.map((pipeline) => (
                <PipelineRow
                  key={pipeline.name}
                  pipeline={pipeline}
                  last={newest(pipeline.lastBuild, all.find((b) => b.pipeline === pipeline.name))}
                  onQueued={upsert}
                  onUnheld={(streak) => unheld(pipeline.name, streak)}
                />
              ))}
            </ul>
          )}
        </LoadState>
      </section>
      <section aria-labelledby="builds">
        <h2 id="builds">Latest builds</h2>
        <LoadState load={buildsRead.load} what="builds">
          {all.length === 0 ? (
            <p className="muted">No builds yet.</p>
          ) : (
            <ul className="rows">
              {all.map((build) => (
                <BuildRow key={build.id} build={build} onChange={upsert} />
              ))}
            </ul>
          )}
        </LoadState>
      </section>
      <RecentEvents topics={['builds', 'alerts']} />
    </>
  );
}

function newest(a: Build | undefined, b: Build | undefined): Build | undefined {
  if (!a || !b) return a ?? b;
  return a.id === b.id ? (a.revision >= b.revision ? a : b) : a.id > b.id ? a : b;
}

function PipelineRow({
  pipeline,
  last,
  onQueued,
  onUnheld,
}: {
  pipeline: Pipeline;
  last?: Build;
  onQueued: (build: Build) => void;
  onUnheld: (streak: BranchStreak) => void;
}) {
  return (
    <li className="row-item" data-pipeline={pipeline.name} data-held={pipeline.held}>
      <h3 className="row-title">{pipeline.name}</h3>
      {pipeline.held ? (
        <Badge state="held" label="Held" />
      ) : (
        pipeline.streak > 0 && <Badge state="warning" label="Failing" />
      )}
      <span>
        streak <strong>{pipeline.streak}</strong>
      </span>
      {last && (
        <span className="muted">
          last build <span className="mono">{last.id}</span> <Badge state={last.state} />
        </span>
      )}
      {pipeline.branchesBuilt.length > 0 && <span className="muted">builds pushes to {pipeline.branchesBuilt.join(', ')}</span>}
      {pipeline.retry && (
        <span className="muted">
          {pipeline.retry.limit > 0 && pipeline.retry.on.length > 0
            ? `retries ${pipeline.retry.on.join(', ')} failures up to ${pipeline.retry.limit}×`
            : 'no automatic retries'}
        </span>
      )}
      <QueueBuild pipeline={pipeline} onQueued={onQueued} />
      {pipeline.branches.length > 0 && (
        <ul className="sub-rows" aria-label={`Branches of ${pipeline.name}`}>
          {pipeline.branches.map((streak) => (
            <BranchRow key={streak.branch} pipeline={pipeline.name} streak={streak} onUnheld={onUnheld} />
          ))}
        </ul>
      )}
    </li>
  );
}

function BranchRow({ pipeline, streak, onUnheld }: { pipeline: string; streak: BranchStreak; onUnheld: (streak: BranchStreak) => void }) {
  const lastUnhold = streak.unholds[streak.unholds.length - 1];
  return (
    <li data-branch={streak.branch} data-held={streak.held}>
      <span className="mono">{streak.branch}</span>: {streak.failures} failed in a row{' '}
      {streak.severity !== 'none' && <Badge state={streak.severity} />}{' '}
      {streak.held && (
        <>
          <Badge state="held" label="Held" /> <span className="muted">automatic builds wait since</span> <When at={streak.heldSince} />{' '}
        </>
      )}
      <OperatorAction
            offered={streak.held}
            label="Unhold"
            ariaLabel={`Unhold ${pipeline} on ${streak.branch}`}
            busyLabel="Unholding…"
            reason={{ label: 'Why may automatic builds run again?', required: true }}
            perform={async (reason) => {
              const after = await postJson<BranchStreak>(`/api/v1/pipelines/${enc(pipeline)}/branches/${enc(streak.branch)}/unhold`, {
                reason,
              });
              onUnheld(after);
              return `Unheld ${pipeline} on ${after.branch}`;
            }}
          />
      {lastUnhold && (
        <span className="muted">
          {' '}
          last unheld by {lastUnhold.by} (<When at={lastUnhold.at} />): {lastUnhold.reason}
        </span>
      )}
    </li>
  );
}

function QueueBuild({ pipeline, onQueued }: { pipeline: Pipeline; onQueued: (build: Build) => void }) {
  const token = useToken();
  const [ref, setRef] = useState('');
  if (!token) return null;
  const id = `queue-ref-${pipeline.name}`;
  return (
    <span className="action">
      {pipeline.branchesBuilt.length > 0 && (
        <>
          <label htmlFor={id} className="visually-hidden">
            Branch to build {pipeline.name} from
          </label>
          <select id={id} value={ref} onChange={(e) => setRef(e.target.value)}>
            <option value="">default branch</option>
            {pipeline.branchesBuilt.map((branch) => (
              <option key={branch} value={branch}>
                {branch}
              </option>
            ))}
          </select>
        </>
      )}
      <OperatorAction
        label="Build now"
        ariaLabel={`Build ${pipeline.name} now`}
        busyLabel="Queueing…"
        perform={async () => {
          // a manual build is of a branch at its head; no ref means the default branch
          const build = await postJson<Build>(`/api/v1/pipelines/${enc(pipeline.name)}/builds`, ref ? { ref } : {});
          onQueued(build);
          return (
            <>
              Queued build <span className="mono">{build.id}</span>
            </>
          );
        }}
      />
    </span>
  );
}

function BuildRow({ build, onChange }: { build: Build; onChange: (build: Build) => void }) {
  const ended = BUILD_ENDED.includes(build.state);
  return (
    <li className="row-item" data-build={build.id} data-state={build.state}>
      <Badge state={build.state} />
      <span className="mono">{build.id}</span>
      <span className="strong">{build.pipeline}</span>
      <span>
        {build.ref} at <span className="mono">{build.sha.slice(0, 7)}</span>
      </span>
      <span className="muted">
        {build.trigger}
        {build.requestedBy && build.requestedBy !== build.trigger && ` by ${build.requestedBy}`}
        {build.retryOf && (
          <>
            , retry of <span className="mono">{build.retryOf}</span>
          </>
        )}
      </span>
      <span className="muted">
        <When at={build.finishedAt ?? build.queuedAt} />
      </span>
      {build.waiting && <span className="muted">waiting: {build.waiting.detail || build.waiting.reason.replace(/_/g, ' ')}</span>}
      {build.state === 'retrying' && build.retryAt && (
        <span className="muted">
          next attempt after <When at={build.retryAt} />
        </span>
      )}
      {BUILD_RETRYABLE.includes(build.state) && (
        <OperatorAction
          label="Retry"
          ariaLabel={`Retry build ${build.id}`}
          busyLabel="Queueing…"
          perform={async () => {
            const retry = await postJson<Build>(`/api/v1/builds/${enc(build.id)}/retry`);
            onChange(retry);
            return (
              <>
                Queued build <span className="mono">{retry.id}</span>
              </>
            );
          }}
        />
      )}
      {
        <OperatorAction
          offered={!ended}
          label="Cancel"
          secondary
          ariaLabel={`Cancel build ${build.id}`}
          busyLabel="Cancelling…"
          perform={async () => {
            onChange(await postJson<Build>(`/api/v1/builds/${enc(build.id)}/cancel`));
            return 'Cancelled';
          }}
        />
      }
      <Attempts build={build} />
    </li>
  );
}

function Attempts({ build }: { build: Build }) {
  if (build.attempts.length === 0) return null;
  return (
    <details className="attempts">
      <summary>
        {build.attempts.length === 1 ? '1 attempt' : `${build.attempts.length} attempts`}
        {build.outputs.length > 0 && `, ${build.outputs.length} outputs`}
      </summary>
      <ol>
        {build.attempts.map((attempt) => (
          <li key={attempt.number} data-attempt={attempt.number}>
            <span className="strong">#{attempt.number}</span> {attempt.result ? <Badge state={attempt.result} /> : <Badge state="running" label="Open" />}
            {attempt.failureClass && <> · class {attempt.failureClass}</>}
            {attempt.exitCode !== undefined && attempt.exitCode !== null && <> · exit {attempt.exitCode}</>}
            {attempt.reason && <> · {attempt.reason}</>} ·{' '}
            {attempt.runner?.url && (
              <>
                <a href={attempt.runner.url} rel="noreferrer noopener" target="_blank">
                  workflow run{attempt.runner.attempt && attempt.runner.attempt > 1 ? `, attempt ${attempt.runner.attempt}` : ''}
                </a>{' '}
                ·{' '}
              </>
            )}
            <span className="muted">
              <When at={attempt.finishedAt ?? attempt.startedAt ?? attempt.dispatchedAt} />
            </span>
            <LogView
              path={`/api/v1/builds/${enc(build.id)}/log?attempt=${attempt.number}`}
              what={`attempt ${attempt.number}`}
              of={`build ${build.id}`}
            />
          </li>
        ))}
      </ol>
      {build.outputs.length > 0 && (
        <ul>
          {build.outputs.map((output) => (
            <li key={output.path}>
              <span className="mono">{output.path}</span> <span className="muted">{output.size} bytes</span>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
