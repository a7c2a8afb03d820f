// The shapes agent-dispatcher serves under /api/v1 (api/AgentList, api/AgentView, runs/RunView, api/RunPage).

export type RunState = 'queued' | 'dispatched' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';

export const ACTIVE_STATES: readonly RunState[] = ['dispatched', 'running'];
export const ENDED_STATES: readonly RunState[] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

export type Trigger =
  | { type: 'manual'; requester: string }
  | { type: 'scheduled'; tick: string }
  | { type: 'on_change'; commitSha: string; changedPaths: string[] };

export interface RunnerRef {
  kind: string;
  externalId?: string;
  url?: string;
  branch?: string;
  /** which attempt of the GitHub workflow run it is (run_attempt); a build's retry re-runs the same run */
  attempt?: number;
}

export interface Run {
  id: string;
  agent: string;
  state: RunState;
  trigger: Trigger;
  queuedAt?: string;
  dispatchedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  runner?: RunnerRef;
}

export interface RunPage {
  runs: Run[];
  next?: string;
}

export interface Agent {
  name: string;
  /** false only in an agent.updated event for an agent whose declaration went away */
  declared?: boolean;
  schedule?: string;
  paths?: string[];
  timeout?: string;
  command?: string;
  workflow?: string;
}

export interface DeclarationProblem {
  file: string;
  agent?: string;
  field?: string;
  message: string;
}

export interface AgentList {
  revision?: string;
  agents: Agent[];
  problems: DeclarationProblem[];
}

/** RFC 9457, as every Monkeytown service answers errors. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  instance?: string;
}

/** Runs never move backwards: a late event must not undo a newer snapshot. */
export function stateRank(state: RunState): number {
  switch (state) {
    case 'queued':
      return 0;
    case 'dispatched':
      return 1;
    case 'running':
      return 2;
    default:
      return 3;
  }
}
