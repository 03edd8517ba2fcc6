import * as os from 'node:os';
import * as path from 'node:path';

/** The user's cache folder for this tool: `$XDG_CACHE_HOME`, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows. */
export function userCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || (process.platform === 'darwin' ? path.join(os.homedir(), 'Library', 'Caches') : process.platform === 'win32' ? env.LOCALAPPDATA || os.tmpdir() : path.join(os.homedir(), '.cache'));
  return path.join(base, 'cloud-migration-planner');
}
