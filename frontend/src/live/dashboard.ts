// Wires the live connection to the store: REST for the first load and after every recovered:false, events in
// between, the token as a subprotocol, and a version check whenever the socket comes back.

import { ApiError, describe, getJson } from '../api/client';
import type { AgentList, RunPage } from '../api/types';
import { bearerSubprotocol, getToken, onTokenChange } from '../auth/token';
import { DashboardStore } from '../state/store';
import { LiveConnection, type LiveOptions, TOPICS, type Topic, socketUrl } from './connection';

export const RUNS_PAGE = '/api/v1/runs?limit=50';

export interface DashboardOptions {
  url?: string;
  createSocket?: LiveOptions['createSocket'];
  backoff?: LiveOptions['backoff'];
  /** the build this page was loaded from; absent in `vite dev` */
  build?: string | null;
}

export class Dashboard {
  readonly store = new DashboardStore();
  readonly connection: LiveConnection;
  private readonly build: string | null;
  private readonly cleanups: (() => void)[] = [];

  constructor(options: DashboardOptions = {}) {
    this.build = options.build === undefined ? currentBuild() : options.build;
    this.connection = new LiveConnection({
      url: options.url ?? socketUrl(window.location),
      topics: TOPICS,
      protocols: () => {
        const token = getToken();
        return token ? ['monkeytown.v1', bearerSubprotocol(token)] : ['monkeytown.v1'];
      },
      createSocket: options.createSocket,
      backoff: options.backoff,
      handlers: {
        status: (status) => this.store.setConnection(status),
        event: (event) => this.store.event(event),
        reset: (topic) => this.reset(topic),
        reconnected: () => void this.checkVersion(),
      },
    });
  }

  start(): void {
    void this.loadRuns();
    void this.loadAgents();
    this.connection.start();
    // a new token changes who the socket speaks for: reconnect (and resume) under it
    this.cleanups.push(onTokenChange(() => this.connection.reconnectNow()));
    const online = () => this.connection.reconnectNow();
    const offline = () => this.connection.offline();
    const visible = () => {
      if (document.visibilityState === 'visible') void this.checkVersion();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visible);
    this.cleanups.push(() => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visible);
    });
  }

  stop(): void {
    this.connection.stop();
    this.cleanups.splice(0).forEach((cleanup) => cleanup());
  }

  private reset(topic: Topic): void {
    const connection = this.store.getSnapshot().connection;
    // a topic this replica has never seen an event of (epoch null) lost nothing: refetch quietly
    if (connection.kind === 'live' && connection.resumed && this.connection.position(topic)) {
      const previous = this.store.getSnapshot().lastRecovery?.refetched ?? [];
      this.store.noteRecovery([...new Set([...previous, topic])]);
    }
    this.store.beginResync(topic);
    const done = () => this.store.endResync(topic);
    if (topic === 'runs') void this.loadRuns().finally(done);
    else if (topic === 'agents') void this.loadAgents().finally(done);
    else done(); // those pages fetch for themselves when resets[topic] moves
  }

  async loadRuns(): Promise<void> {
    try {
      this.store.runsLoaded(await getJson<RunPage>(RUNS_PAGE));
    } catch (e) {
      this.store.runsFailed(describe(e), e instanceof ApiError && e.unavailable);
    }
  }

  async loadAgents(): Promise<void> {
    try {
      this.store.agentsLoaded(await getJson<AgentList>('/api/v1/agents'));
    } catch (e) {
      this.store.agentsFailed(describe(e), e instanceof ApiError && e.unavailable);
    }
  }

  /** index.html is revalidated on every load, so a reload gets the new build; this tells an open tab it exists. */
  async checkVersion(): Promise<void> {
    if (!this.build) return;
    try {
      const response = await fetch('/version.json', { cache: 'no-store' });
      if (!response.ok) return;
      const { build } = (await response.json()) as { build?: string };
      if (build && build !== this.build) this.store.setNewVersion();
    } catch {
      // offline or mid-deploy: the next reconnect asks again
    }
  }
}

function currentBuild(): string | null {
  return document.querySelector<HTMLMetaElement>('meta[name="monkeytown-build"]')?.content ?? null;
}
