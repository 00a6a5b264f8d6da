import { ArtifactPage } from './pages/ArtifactPage';
import { lazy, Suspense, useLayoutEffect } from 'react';
import { HomePage } from './pages/HomePage';
import { ProjectPage } from './pages/ProjectPage';
import { Loading } from './ui/Loading';

// Pages past the first screen load on first use, so starting the app parses less.
const VersionPage = lazy(() => import('./pages/VersionPage').then((m) => ({ default: m.VersionPage })));
const ComparePage = lazy(() => import('./pages/ComparePage').then((m) => ({ default: m.ComparePage })));
const ModelPage = lazy(() => import('./pages/ModelPage').then((m) => ({ default: m.ModelPage })));
const SettingsPage = lazy(() => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })));
import { LogProgress } from './shell/LogProgress';
import { Notices } from './shell/Notices';
import { QuickOpen } from './shell/QuickOpen';
import { Sidebar } from './shell/Sidebar';
import { useAppStore } from './state';
import { useRoute, type Route } from './state/route';
import { useWorkspace } from './state/workspace-store';

export function App() {
  const loadInfo = useAppStore((s) => s.loadInfo);
  const info = useAppStore((s) => s.info);
  const start = useWorkspace((s) => s.start);
  const phase = useWorkspace((s) => s.phase);
  const error = useWorkspace((s) => s.error);
  const route = useRoute((s) => s.route);
  useLayoutEffect(() => void performance.mark('cairn:first-commit'), []);

  return (
    <div className="app">
      <Sidebar />
      <main className="main" aria-label="Main">
        {info.status === 'error' ? (
          <Problem title="Cannot reach the Cairn host." message={info.message} onRetry={() => void loadInfo().then(start)} />
        ) : phase === 'error' && error ? (
          <Problem title="The workspace could not open." message={error.message} onRetry={() => void start()} />
        ) : phase === 'ready' || route.page === 'settings' ? (
          <Suspense fallback={<Loading what="the page" />}>
            <Page route={route} />
          </Suspense>
        ) : null}
      </main>
      <QuickOpen />
      <LogProgress />
      <Notices />
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'project':
      return <ProjectPage key={route.project} project={route.project} />;
    case 'artifact':
      return <ArtifactPage key={`${route.project}/${route.artifact}`} project={route.project} artifact={route.artifact} />;
    case 'version':
      return <VersionPage project={route.project} artifact={route.artifact} versionId={route.versionId} />;
    case 'compare':
      return <ComparePage project={route.project} artifact={route.artifact} a={route.a} b={route.b} />;
    case 'model':
      return <ModelPage key={route.model} model={route.model} />;
    case 'settings':
      return <SettingsPage />;
  }
}

function Problem({ title, message, onRetry }: { title: string; message: string; onRetry: () => void }) {
  return (
    <div className="page">
      <div className="page-body">
        <div className="error-box" role="alert">
          <strong>{title}</strong> {message}
          <button type="button" className="btn btn-default" onClick={onRetry}>
            Try again
          </button>
        </div>
      </div>
    </div>
  );
}
