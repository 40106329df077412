import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnchorStore } from './anchors.ts';

/**
 * Anchors in a local directory (`npm start`, tests). Written once (`wx`) and made read-only; a local
 * directory is no Object Lock, so this stands in for the S3 bucket only where the table is local too.
 */
export function fileAnchorStore(directory: string): AnchorStore {
  return {
    async list() {
      try {
        return (await readdir(directory)).filter((name) => /^anchor-\d{10}\.json$/.test(name)).sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    get: (name) => readFile(join(directory, name), 'utf8'),
    async putOnce(name, body) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const path = join(directory, name);
      await writeFile(path, body, { flag: 'wx', mode: 0o400 });
      await chmod(path, 0o400);
    },
  };
}
