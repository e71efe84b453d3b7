import fs from 'node:fs';
import path from 'node:path';

/** A folder being watched; `close()` stops every watcher. */
export interface FolderWatch {
  close(): void;
}

// Dependencies and hidden folders (.git, .aws-sam) are not the API's own code.
const SKIPPED = new Set(['node_modules']);
const MAX_FOLDERS = 2000;

/**
 * Calls `onChange` once things under `root` settle after a change (`debounceMs` of quiet). Each
 * folder gets its own non-recursive `fs.watch`: Node 20's recursive mode on Linux walks and watches
 * node_modules too.
 */
export function watchFolder(root: string, onChange: () => void, debounceMs = 100): FolderWatch {
  const watchers = new Map<string, fs.FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const changed = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      rescan(); // folders created or removed since
      onChange();
    }, debounceMs);
  };

  const rescan = () => {
    const folders = new Set(listFolders(root));
    for (const [folder, watcher] of watchers) {
      if (!folders.has(folder)) {
        watcher.close();
        watchers.delete(folder);
      }
    }
    for (const folder of folders) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = fs.watch(folder, { persistent: true }, changed);
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(folder);
        });
        watchers.set(folder, watcher);
      } catch {
        // gone between the listing and the watch: the next rescan settles it
      }
    }
  };

  rescan();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function listFolders(root: string): string[] {
  const folders = [root];
  for (let i = 0; i < folders.length && folders.length < MAX_FOLDERS; i++) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folders[i], { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name)) {
        folders.push(path.join(folders[i], entry.name));
      }
    }
  }
  return folders;
}
