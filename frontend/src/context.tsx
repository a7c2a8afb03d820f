import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Dashboard } from './live/dashboard';
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
