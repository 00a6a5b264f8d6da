import type { AppInfo } from '../../../electron/shared/contract';
import { useAppStore } from '../state';

const CONCEPTS = [
  {
    title: 'Model Version',
    text: 'An immutable folder of files — one checkpoint — with its metrics, tags and notes.',
  },
  {
    title: 'Model Artifact',
    text: 'The numbered sequence of versions one training run or model line produces: v0, v1, v2…',
  },
  {
    title: 'Registered Model',
    text: 'A curated set of links to the versions that matter, with aliases like production and staging.',
  },
];

export function Overview() {
  return (
    <div className="page">
      <header className="page-header">
        <div className="crumbs" aria-label="Location">
          <span>Local workspace</span>
          <span className="crumb-sep">/</span>
          <span className="crumb-current">Overview</span>
        </div>
      </header>
      <div className="page-body">
        <h1 className="page-title">Your model registry, on this machine</h1>
        <p className="lead">
          Cairn turns training checkpoints into versioned, immutable models, works fully offline, and merges your
          team's edits when you reconnect.
        </p>
        <ul className="concepts" aria-label="Concepts">
          {CONCEPTS.map((c) => (
            <li key={c.title} className="concept">
              <h3>{c.title}</h3>
              <p>{c.text}</p>
            </li>
          ))}
        </ul>
        <HostPanel />
      </div>
    </div>
  );
}

function HostPanel() {
  const info = useAppStore((s) => s.info);
  const loadInfo = useAppStore((s) => s.loadInfo);
  return (
    <section className="panel" aria-labelledby="host-title">
      <h2 id="host-title" className="panel-title">
        This installation
      </h2>
      {info.status === 'loading' && <p className="muted">Asking the host…</p>}
      {info.status === 'error' && (
        <div className="error-box" role="alert">
          <strong>Cannot reach the Cairn host.</strong> {info.message}
          <button type="button" className="button" onClick={() => void loadInfo()}>
            Try again
          </button>
        </div>
      )}
      {info.status === 'ready' && <HostFacts info={info.value} />}
    </section>
  );
}

function HostFacts({ info }: { info: AppInfo }) {
  const rows: [string, string, boolean?][] = [
    ['Version', info.version],
    ['Data directory', info.dataDir, true],
    ['Platform', info.platform],
    ['Running as', info.shell === 'electron' ? 'Desktop app' : 'Web mode (loopback)'],
  ];
  return (
    <dl className="facts" aria-label="Host information">
      {rows.map(([k, v, mono]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd className={mono ? 'mono' : undefined}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
