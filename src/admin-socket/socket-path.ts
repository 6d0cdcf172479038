import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the admin socket of the server holding a data folder lives. Whoever reaches it runs
 * operations (an API client's secret, an administrator's password come back through it), so it is
 * never in a folder others can enter: inside the data folder (0700), or, where that path is longer
 * than a Unix socket path may be (about 104 bytes), in a fresh 0700 folder from mkdtemp named by a
 * pointer file inside the data folder. Never a predictable /tmp name another user could take first.
 */
const MAX_SOCKET_PATH = 100;
const SOCKET = 'admin.sock';
const POINTER = 'admin.sock.path';

export interface AdminSocketPlace {
  path: string;
  /** Removes the socket and, for a temporary folder, the folder and its pointer. */
  release(): void;
}

/** For the server: a place for its socket (it holds the data folder's lock, so no one else does this). */
export function prepareAdminSocket(dataDir: string): AdminSocketPlace {
  const folder = resolve(dataDir);
  const pointer = join(folder, POINTER);
  const inFolder = join(folder, SOCKET);
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) {
    if (existsSync(pointer)) unlinkSync(pointer); // left by a crashed server run from a longer path
    return { path: inFolder, release: () => rmSync(inFolder, { force: true }) };
  }
  // mkdtemp makes the folder 0700 under an unguessable name.
  const runtime = mkdtempSync(join(tmpdir(), 'aurora-'));
  const path = join(runtime, SOCKET);
  writeFileSync(pointer, path + '\n', { mode: 0o600 });
  return {
    path,
    release: () => {
      rmSync(runtime, { recursive: true, force: true });
      if (existsSync(pointer) && readFileSync(pointer, 'utf8').trim() === path) unlinkSync(pointer);
    },
  };
}

/**
 * For a command: the socket of the server holding dataDir, or undefined when none can be trusted.
 * A pointed-to folder must still be ours and closed to others (a cleaned /tmp could have let another
 * user make one by that name).
 */
export function locateAdminSocket(dataDir: string): string | undefined {
  const folder = resolve(dataDir);
  const inFolder = join(folder, SOCKET);
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) return inFolder;
  let path: string;
  try {
    path = readFileSync(join(folder, POINTER), 'utf8').trim();
  } catch {
    return undefined;
  }
  try {
    const runtime = lstatSync(dirname(path));
    const uid = process.getuid?.();
    if (!runtime.isDirectory() || runtime.mode & 0o077 || (uid !== undefined && runtime.uid !== uid)) return undefined;
  } catch {
    return undefined;
  }
  return path;
}
