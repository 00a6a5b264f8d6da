import os from 'node:os';
import path from 'node:path';

/**
 * Where Cairn keeps its data when nothing else is said: `CAIRN_DATA_DIR`, else the
 * platform's per-user data folder. The desktop app and web mode share it, so a
 * training box served by `npm run web` sees the same store as the desktop app.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CAIRN_DATA_DIR) return path.resolve(env.CAIRN_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Cairn');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Cairn');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'cairn');
}
