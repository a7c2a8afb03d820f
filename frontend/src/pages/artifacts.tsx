// Artifacts: the registry's repositories with their sizes, and its storage against the quota and capacity level, as
// GET /api/v1/artifacts answers; a repository's artifacts (tags, sizes, pulls) when it is opened. The registry keeps
// anonymous pull off, listings included, so without a token the page says that instead of a list. Artifact events
// make the page read the figures again (they are the registry's to compute).

import { type ReactNode, useState } from 'react';
import type { ArtifactList, RepositoryList, Storage } from '../api/artifacts';
import { LoadState, When } from '../components/common';
import { RecentEvents } from '../components/events';
import { useEvents, useSnapshot, useToken } from '../context';
import type { Load } from '../state/store';
import { formatBytes, percent, useApiRead } from '../state/records';

export function ArtifactsPage() {
  const { resets } = useSnapshot();
  const token = useToken();
  const [list, setList] = useState<RepositoryList | null>(null);
  // a token set or changed may see other repositories (scopes): read again under it
  const read = useApiRead<RepositoryList>('/api/v1/artifacts', `${resets.artifacts}:${token ?? ''}`, setList);
  const [changes, setChanges] = useState<Record<string, number>>({});
  useEvents('artifacts', (event) => {
    read.refresh();
    const repository = (event.data as { repository?: unknown } | null)?.repository;
    if (typeof repository === 'string') setChanges((known) => ({ ...known, [repository]: (known[repository] ?? 0) + 1 }));
  });

  return (
    <>
      <h1 tabIndex={-1}>Artifacts</h1>
      <ArtifactsLoad load={read.load}>
        {list && (
          <>
            <StorageFigures storage={list.storage} />
            <section aria-labelledby="repositories">
              <h2 id="repositories">Repositories</h2>
              {list.repositories.length === 0 ? (
                <p className="muted">No repository holds an artifact you may pull.</p>
              ) : (
                <ul className="rows">
                  {list.repositories.map((repository) => (
                    <li key={repository.name} className="row-item" data-repository={repository.name}>
                      <h3 className="row-title mono">{repository.name}</h3>
                      <span>
                        {repository.artifacts} {repository.artifacts === 1 ? 'artifact' : 'artifacts'}, {repository.tags}{' '}
                        {repository.tags === 1 ? 'tag' : 'tags'}
                      </span>
                      <span>{formatBytes(repository.bytes)}</span>
                      <span className="muted">
                        last push <When at={repository.lastPushedAt} />
                      </span>
                      <RepositoryArtifacts
                        repository={repository.name}
                        resetKey={`${resets.artifacts}:${changes[repository.name] ?? 0}:${token ?? ''}`}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </ArtifactsLoad>
      <RecentEvents topics={['artifacts']} />
    </>
  );
}

/** LoadState, but a 401 is the registry's rule, not a failure: say what it takes to see the list. */
function ArtifactsLoad({ load, children }: { load: Load; children: ReactNode }) {
  if (load.kind === 'error' && load.status === 401) {
    return (
      <p className="notice" role="status">
        The registry keeps anonymous pull off, listings included: set a token (viewer or above) under “Token” to see the
        repositories and the storage used.
      </p>
    );
  }
  return (
    <LoadState load={load} what="artifacts">
      {children}
    </LoadState>
  );
}

function StorageFigures({ storage }: { storage: Storage }) {
  return (
    <section aria-labelledby="storage">
      <h2 id="storage">Storage</h2>
      <p>
        <label htmlFor="storage-used">
          {formatBytes(storage.usedBytes)} of {formatBytes(storage.quotaBytes)} quota used ({percent(storage.quotaUsed)})
        </label>{' '}
        <meter id="storage-used" min={0} max={storage.quotaBytes} value={storage.usedBytes} />
      </p>
      <dl className="facts">
        <dt>Capacity level</dt>
        <dd>
          <span className={`badge badge-${storage.level}`} data-level={storage.level}>
            {storage.level}
          </span>
          {storage.level === 'critical' && ' — archive old data'}
        </dd>
        <dt>Stored objects</dt>
        <dd>{storage.objects}</dd>
        <dt>Reclaimable</dt>
        <dd>{formatBytes(storage.reclaimableBytes)} (unlinked blobs still stored)</dd>
        {storage.backend && (
          <>
            <dt>Backend</dt>
            <dd>{storage.backend}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** A repository's artifacts, read when it is opened (and again when an event names it while open). */
function RepositoryArtifacts({ repository, resetKey }: { repository: string; resetKey: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="attempts" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Artifacts and tags</summary>
      {open && <ArtifactTable repository={repository} resetKey={resetKey} />}
    </details>
  );
}

function ArtifactTable({ repository, resetKey }: { repository: string; resetKey: string }) {
  const [list, setList] = useState<ArtifactList | null>(null);
  const read = useApiRead<ArtifactList>(`/api/v1/artifacts/manifests?repository=${encodeURIComponent(repository)}`, resetKey, setList);
  return (
    <LoadState load={read.load} what="artifacts">
      {list && list.artifacts.length === 0 ? (
        <p className="muted">No artifacts.</p>
      ) : (
        <ul className="plain">
          {list?.artifacts.map((artifact) => (
            <li key={artifact.digest} data-digest={artifact.digest}>
              {artifact.tags.length > 0 ? (
                artifact.tags.map((tag) => (
                  <span key={tag} className="tag mono">
                    {tag}
                  </span>
                ))
              ) : (
                <span className="muted">untagged</span>
              )}{' '}
              <span className="mono">{artifact.digest.slice(0, 19)}</span> {formatBytes(artifact.size)}
              {artifact.artifactType && <span className="muted"> · {artifact.artifactType}</span>}
              <span className="muted">
                {' '}
                · pushed by {artifact.pushedBy ?? '—'} <When at={artifact.pushedAt} /> · {artifact.pulls}{' '}
                {artifact.pulls === 1 ? 'pull' : 'pulls'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </LoadState>
  );
}
