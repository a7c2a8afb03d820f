import { useEffect, useRef } from 'react';
import { ConnectionBanner, Header, VersionNotice } from './components/chrome';
import { AgentPage, AgentsPage } from './pages/agents';
import { OverviewPage } from './pages/overview';
import { AlertsPage } from './pages/alerts';
import { ArtifactsPage } from './pages/artifacts';
import { BuildsPage } from './pages/builds';
import { DeploymentsPage } from './pages/deployments';
import { RunPage, RunsPage } from './pages/runs';
import { Link, type Route, matchRoute, usePath } from './router';

function title(route: Route): string {
  switch (route.page) {
    case 'overview':
      return 'Overview';
    case 'agents':
      return 'Agents';
    case 'agent':
      return `Agent ${route.name}`;
    case 'runs':
      return 'Runs';
    case 'run':
      return `Run ${route.id}`;
    case 'resource':
      return route.kind[0].toUpperCase() + route.kind.slice(1);
    default:
      return 'Not found';
  }
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'agents':
      return <AgentsPage />;
    case 'agent':
      return <AgentPage key={route.name} name={route.name} />;
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage key={route.id} id={route.id} />;
    case 'resource':
      switch (route.kind) {
        case 'builds':
          return <BuildsPage />;
        case 'deployments':
          return <DeploymentsPage />;
        case 'artifacts':
          return <ArtifactsPage />;
        default:
          return <AlertsPage />;
      }
    default:
      return (
        <>
          <h1 tabIndex={-1}>Not found</h1>
          <p>
            There is no such page. <Link to="/">Back to the overview</Link>
          </p>
        </>
      );
  }
}

export function App() {
  const path = usePath();
  const route = matchRoute(path);
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    document.title = `${title(route)} · Monkeytown`;
    // after an in-page navigation, move focus to the new page's heading so screen readers announce it
    if (first.current) first.current = false;
    else main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main}>
        <Page route={route} />
      </main>
      <div className="notices">
        <VersionNotice />
        <ConnectionBanner />
      </div>
    </>
  );
}
