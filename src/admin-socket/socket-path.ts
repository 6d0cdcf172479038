import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The admin socket of the server that holds a data folder. Unix socket paths are limited to about
 * 104 bytes, so a deep folder's socket lives in the temp folder under a name derived from the path.
 */
export function adminSocketPath(dataDir: string) {
  const inFolder = join(resolve(dataDir), 'admin.sock');
  if (Buffer.byteLength(inFolder) <= 100) return inFolder;
  const digest = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(tmpdir(), `aurora-${digest}.sock`);
}
