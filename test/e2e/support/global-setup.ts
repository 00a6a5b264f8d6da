import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { rendererConfig } from '../../../renderer/vite.config';
import { assertChromiumInstalled } from './browser';

declare module 'vitest' {
  export interface ProvidedContext {
    rendererDir: string;
  }
}

/** Fails the run up front without Chromium, then builds the renderer once for every e2e test. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  assertChromiumInstalled();
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-e2e-renderer-'));
  // vitest sets NODE_ENV=test, which vite would keep (bundling React's development build):
  // the tests drive what users get, the production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...rendererConfig, mode: 'production', logLevel: 'warn', build: { ...rendererConfig.build, outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('rendererDir', outDir);
  return () => fs.rm(outDir, { recursive: true, force: true });
}
