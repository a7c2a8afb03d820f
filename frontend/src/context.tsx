import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { Dashboard } from './live/dashboard';
import type { LiveEvent, Topic } from './live/connection';
import type { Snapshot } from './state/store';
import { getToken, onTokenChange } from './auth/token';

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const dashboard = useContext(DashboardContext);
  if (!dashboard) throw new Error('useDashboard outside <DashboardContext.Provider>');
  return dashboard;
}

export function useSnapshot(): Snapshot {
  const { store } = useDashboard();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

export function useToken(): string | null {
  return useSyncExternalStore(onTokenChange, getToken);
}

/** The events of one topic, each once, as the store applies them (never under a refetch). */
export function useEvents(topic: Topic, handler: (event: LiveEvent) => void): void {
  const { store } = useDashboard();
  const current = useRef(handler);
  current.current = handler;
  useEffect(
    () =>
      store.onEvent((event) => {
        if (event.topic === topic) current.current(event);
      }),
    [store, topic],
  );
}
