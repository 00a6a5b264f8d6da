performance.mark('cairn:boot');
import '@fontsource-variable/inter';
import '@fontsource-variable/jetbrains-mono';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useAppStore } from './state';
import { useWorkspace, whenLocalCopyStarted } from './state/workspace-store';

// Start reading the workspace from IndexedDB while React renders its first frame.
void useAppStore.getState().loadInfo();
void useWorkspace.getState().start();

void whenLocalCopyStarted(150).then(() => {
  performance.mark('cairn:render');
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
