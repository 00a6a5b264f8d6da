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
  await build({ ...rendererConfig, logLevel: 'warn', build: { ...rendererConfig.build, outDir, emptyOutDir: true } });
  project.provide('rendererDir', outDir);
  return () => fs.rm(outDir, { recursive: true, force: true });
}
