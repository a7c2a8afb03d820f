import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DashboardContext } from './context';
import { Dashboard } from './live/dashboard';
import './styles.css';

const dashboard = new Dashboard();
dashboard.start();
// the end-to-end tests reach the live connection through this to drop it on purpose; it holds no secret
(window as unknown as { monkeytown: Dashboard }).monkeytown = dashboard;

// A transition lets React render the first screen in slices that yield to the browser, instead of one long task
// right after the script runs (Lighthouse counts that as blocking time on a slow phone).
const root = createRoot(document.getElementById('root')!);
startTransition(() =>
  root.render(
    <StrictMode>
      <DashboardContext.Provider value={dashboard}>
        <App />
      </DashboardContext.Provider>
    </StrictMode>,
  ),
);
