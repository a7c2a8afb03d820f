// The shapes build-service serves under /api/v1 (api/PipelineView, api/BuildView, api/BuildPage; builds/Build,
// builds/Attempt, builds/Streak). Build events carry the stored record (no `waiting`); build.held and build.unheld a
// Streak.

import type { RunnerRef } from './types';

export type BuildState = 'queued' | 'dispatched' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

export const BUILD_ENDED: readonly BuildState[] = ['succeeded', 'failed', 'timed_out', 'cancelled'];
/** what POST /builds/{id}/retry accepts (409 otherwise) */
export const BUILD_RETRYABLE: readonly BuildState[] = ['failed', 'timed_out', 'cancelled'];

export interface Attempt {
  number: number;
  runId: string;
  dispatchedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** succeeded, failed, timed_out or cancelled; absent while the attempt is open */
  result?: string;
  /** infra, timeout or build */
  failureClass?: string;
  exitCode?: number;
  reason?: string;
  /** where it ran: on GitHub Actions the workflow run (its page, and its run_attempt for a re-run) */
  runner?: RunnerRef;
}

export interface BuildOutput {
  path: string;
  digest: string;
  size: number;
}

export interface Build {
  id: string;
  pipeline: string;
  ref: string;
  sha: string;
  tree?: string;
  trigger: 'push' | 'manual' | 'retry';
  requestedBy?: string;
  state: BuildState;
  attempts: Attempt[];
  outputs: BuildOutput[];
  artifact?: { repository: string; manifestDigest: string; tags: string[] };
  queuedAt: string;
  retryAt?: string;
  finishedAt?: string;
  retryOf?: string;
  cancelledBy?: string;
  revision: number;
  /** only on REST answers, while the build waits */
  waiting?: { reason: string; detail?: string };
}

export interface BuildPage {
  builds: Build[];
  next?: string;
}

export interface Unhold {
  by: string;
  reason: string;
  at: string;
  failures: number;
}

export interface BranchStreak {
  branch: string;
  failures: number;
  held: boolean;
  severity: 'none' | 'warning' | 'critical';
  heldSince?: string;
  unholds: Unhold[];
}

export interface Pipeline {
  name: string;
  command?: string;
  workflow?: string;
  /** the branches whose pushes queue automatic builds */
  branchesBuilt: string[];
  outputs: string[];
  timeout: string;
  retry?: { limit: number; on: string[] };
  streak: number;
  held: boolean;
  branches: BranchStreak[];
  lastBuild?: Build;
}

export function isBuild(data: unknown): data is Build {
  const build = data as Build;
  return !!build && typeof build.id === 'string' && typeof build.pipeline === 'string' && typeof build.state === 'string';
}
