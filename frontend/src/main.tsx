import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DashboardContext } from './context';
import { Dashboard } from './live/dashboard';
import './styles.css';

const dashboard = new Dashboard();
dashboard.start();
// the end-to-end tests reach the live connection through this to drop it on purpose; it holds no secret
(window as unknown as { monkeytown: Dashboard }).monkeytown = dashboard;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DashboardContext.Provider value={dashboard}>
      <App />
    </DashboardContext.Provider>
  </StrictMode>,
);
