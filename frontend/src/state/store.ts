// What the dashboard knows, fed by REST snapshots and live events. One snapshot object, replaced on every change, read
// by components through useSyncExternalStore.

import type { Agent, AgentList, DeclarationProblem, Run, RunPage } from '../api/types';
import { stateRank } from '../api/types';
import type { ConnectionStatus, LiveEvent, Topic } from '../live/connection';

export type Load =
  | { kind: 'loading' }
  | { kind: 'ok' }
  /** status: the HTTP status when the API answered one */
  | { kind: 'error'; message: string; unavailable: boolean; status?: number };

export interface Snapshot {
  connection: ConnectionStatus;
  /** set once a reconnect had to refetch (recovered:false) rather than replay; cleared when seen */
  lastRecovery: { at: number; refetched: Topic[] } | null;
  runs: ReadonlyMap<string, Run>;
  runsLoad: Load;
  agents: readonly Agent[];
  agentProblems: readonly DeclarationProblem[];
  agentsLoad: Load;
  /** per topic, bumped whenever the topic must be read again over REST: pages with their own fetches follow it */
  resets: Readonly<Record<Topic, number>>;
  /** the latest events of the topics the store keeps no records of (builds, deployments, artifacts, alerts): the pages' "Live events" */
  recent: Readonly<Record<Topic, readonly LiveEvent[]>>;
  newVersion: boolean;
}

const RECENT_LIMIT = 50;
const RUNS_KEPT = 500;

const emptyTopics = <T>(value: () => T) =>
  ({ agents: value(), runs: value(), builds: value(), deployments: value(), artifacts: value(), alerts: value() }) as Record<
    Topic,
    T
  >;

export class DashboardStore {
  private snapshot: Snapshot = {
    connection: { kind: 'connecting' },
    lastRecovery: null,
    runs: new Map(),
    runsLoad: { kind: 'loading' },
    agents: [],
    agentProblems: [],
    agentsLoad: { kind: 'loading' },
    resets: emptyTopics(() => 0),
    recent: emptyTopics(() => []),
    newVersion: false,
  };
  private readonly listeners = new Set<() => void>();
  /** pages that keep their own records (builds, deployments, artifacts) hear each event as it is applied */
  private readonly eventListeners = new Set<(event: LiveEvent) => void>();
  /** topics being refetched: their events wait here until the snapshot is in, then apply over it */
  private readonly held = new Map<Topic, LiveEvent[]>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  /** Every event, in order, once it is applied (after a refetch's held events, never under it). */
  onEvent = (listener: (event: LiveEvent) => void): (() => void) => {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  };

  private update(change: Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    this.listeners.forEach((listener) => listener());
  }

  setConnection(connection: ConnectionStatus): void {
    this.update({ connection });
  }

  noteRecovery(refetched: Topic[]): void {
    this.update({ lastRecovery: { at: Date.now(), refetched } });
  }

  clearRecovery(): void {
    this.update({ lastRecovery: null });
  }

  setNewVersion(): void {
    if (!this.snapshot.newVersion) this.update({ newVersion: true });
  }

  /** A refetch of the topic begins: hold its events so none is applied under the coming snapshot. */
  beginResync(topic: Topic): void {
    if (!this.held.has(topic)) this.held.set(topic, []);
    this.update({ resets: { ...this.snapshot.resets, [topic]: this.snapshot.resets[topic] + 1 } });
  }

  /** The refetch ended (with or without data): apply what arrived meanwhile. */
  endResync(topic: Topic): void {
    const events = this.held.get(topic) ?? [];
    this.held.delete(topic);
    events.forEach((event) => this.apply(event));
  }

  event(event: LiveEvent): void {
    const held = this.held.get(event.topic);
    if (held) held.push(event);
    else this.apply(event);
  }

  private apply(event: LiveEvent): void {
    if (event.topic === 'runs' && isRun(event.data)) {
      this.upsertRuns([event.data], false);
    } else if (event.topic === 'agents' && isAgent(event.data)) {
      const agent = event.data;
      const others = this.snapshot.agents.filter((a) => a.name !== agent.name);
      const agents = agent.declared === false ? others : [...others, agent].sort((a, b) => a.name.localeCompare(b.name));
      this.update({ agents });
    } else {
      const recent = [event, ...this.snapshot.recent[event.topic]].slice(0, RECENT_LIMIT);
      this.update({ recent: { ...this.snapshot.recent, [event.topic]: recent } });
    }
    this.eventListeners.forEach((listener) => listener(event));
  }

  /** A REST answer is the truth as of now; an event is applied only if it moves the run forward. */
  upsertRuns(runs: readonly Run[], authoritative: boolean): void {
    const next = new Map(this.snapshot.runs);
    let changed = false;
    for (const run of runs) {
      const known = next.get(run.id);
      if (!authoritative && known && stateRank(run.state) < stateRank(known.state)) continue;
      next.set(run.id, run);
      changed = true;
    }
    if (!changed) return;
    if (next.size > RUNS_KEPT) {
      const keep = [...next.keys()].sort().slice(-RUNS_KEPT);
      const trimmed = new Map(keep.map((id) => [id, next.get(id)!]));
      this.update({ runs: trimmed });
    } else {
      this.update({ runs: next });
    }
  }

  runsLoaded(page: RunPage): void {
    this.upsertRuns(page.runs, true);
    this.update({ runsLoad: { kind: 'ok' } });
  }

  runsFailed(message: string, unavailable: boolean): void {
    this.update({ runsLoad: { kind: 'error', message, unavailable } });
  }

  agentsLoaded(list: AgentList): void {
    const agents = [...list.agents].sort((a, b) => a.name.localeCompare(b.name));
    this.update({ agents, agentProblems: list.problems ?? [], agentsLoad: { kind: 'ok' } });
  }

  agentsFailed(message: string, unavailable: boolean): void {
    this.update({ agentsLoad: { kind: 'error', message, unavailable } });
  }
}

function isRun(data: unknown): data is Run {
  const run = data as Run;
  return !!run && typeof run.id === 'string' && typeof run.agent === 'string' && typeof run.state === 'string';
}

function isAgent(data: unknown): data is Agent {
  return !!data && typeof (data as Agent).name === 'string';
}

/** Runs newest first (ids are time-ordered). */
export function runsNewestFirst(runs: ReadonlyMap<string, Run>): Run[] {
  return [...runs.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
