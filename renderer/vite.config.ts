import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The renderer build, shared by electron-vite (desktop) and `npm run build:renderer`
 * (web mode): one bundle serves both shells.
 */
export const rendererConfig: UserConfig = {
  root,
  plugins: [react()],
  build: {
    outDir: path.resolve(root, '../out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    minify: true,
    // One entry chunk of ~550 kB (React, Dexie, Yjs, the app) is deliberate; pages and
    // markdown past the first screen are split off.
    chunkSizeWarningLimit: 700,
    // No data: URIs: the CSP allows fonts and scripts from 'self' only.
    assetsInlineLimit: 0,
    rolldownOptions: { input: path.resolve(root, 'index.html') },
  },
};

export default rendererConfig;
