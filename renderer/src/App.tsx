import { useEffect } from 'react';
import { Overview } from './shell/Overview';
import { Sidebar } from './shell/Sidebar';
import { useAppStore } from './state';

export function App() {
  const loadInfo = useAppStore((s) => s.loadInfo);
  useEffect(() => void loadInfo(), [loadInfo]);
  return (
    <div className="app">
      <Sidebar />
      <main className="main" aria-label="Main">
        <Overview />
      </main>
    </div>
  );
}
