/**
 * Production build of the standalone server: `out/sync-server/index.js`, run with
 * `node out/sync-server/index.js --port … --data … --tokens …`. Packages stay external
 * (better-sqlite3 is native) and resolve from the repository's node_modules.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root,
  logLevel: 'warn',
  build: {
    ssr: path.join(root, 'sync-server/cli.ts'),
    outDir: path.join(root, 'out/sync-server'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: { output: { format: 'es', entryFileNames: 'index.js' } },
  },
});
