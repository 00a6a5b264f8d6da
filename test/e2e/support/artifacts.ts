import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../support/web-mode';

/** Screenshots land here (git-ignored) for people to look at. */
export const ARTIFACTS_DIR = path.join(repoRoot, 'test', 'e2e', '.artifacts');

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}
