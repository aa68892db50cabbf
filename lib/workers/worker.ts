/**
 * The one place that starts and stops Workers, for the thread pool and the
 * blocking sockets alike: it checks the read permission a Worker's module
 * needs before starting it (so a refusal is one clear error at the call,
 * not a Worker that dies on load), and it counts the live ones so tests can
 * check that every Worker was terminated (the test sanitizers do not see a
 * live Worker, and a live Worker keeps `deno run` from ever exiting).
 *
 * @module
 */

/** Live Workers, by the name they were started with. */
const live = new Map<Worker, string>();

/** How to start a Worker with {@linkcode startWorker}. */
export interface StartWorkerOptions {
  /** Its name, as Workers carry one (`self.name`); {@linkcode liveWorkerCount} counts by it. */
  name: string;
  /**
   * What needs the Worker, for the error message when its module cannot be
   * read: "create a blocking socket" gives "Cannot create a blocking socket: ...".
   */
  purpose: string;
  /** The `--allow-read` value to suggest when the module cannot be read, such as "lib". */
  readHint: string;
}

/**
 * Throws a clear `PermissionDenied` unless the module at `url` may be read.
 * The message suggests `--allow-read=<readHint>`; by default the module's
 * path, from the working directory if the script may know it.
 *
 * @throws {Deno.errors.PermissionDenied} if it is a local file the script may not read
 */
export function checkReadable(url: URL, purpose: string, readHint?: string): void {
  if (url.protocol !== "file:") return;
  const path = decodeURIComponent(url.pathname);
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
    throw new Deno.errors.PermissionDenied(
      `Cannot ${purpose}: its Worker needs read access to ${path} ` +
        `(--allow-read=${readHint ?? relativeToCwd(path)})`,
    );
  }
}

/** `path` from the working directory when we may know it, so a hint reads `--allow-read=part05`. */
function relativeToCwd(path: string): string {
  try {
    const cwd = Deno.cwd();
    if (path.startsWith(`${cwd}/`)) return path.slice(cwd.length + 1);
  } catch {
    // Without read access to the working directory, the absolute path will do.
  }
  return path;
}

/**
 * Starts a module Worker running `url`, with the script's permissions.
 * Stop it with {@linkcode stopWorker}.
 *
 * @throws {Deno.errors.PermissionDenied} if the script may not read the module
 */
export function startWorker(url: URL, options: StartWorkerOptions): Worker {
  checkReadable(url, options.purpose, options.readHint);
  const worker = new Worker(url, { type: "module", name: options.name });
  live.set(worker, options.name);
  return worker;
}

/** Terminates a Worker from {@linkcode startWorker}; stopping it twice is harmless. */
export function stopWorker(worker: Worker): void {
  worker.terminate();
  live.delete(worker);
}

/** How many Workers from {@linkcode startWorker} are alive: all, or those whose name starts with `prefix`. */
export function liveWorkerCount(prefix = ""): number {
  let count = 0;
  for (const name of live.values()) if (name.startsWith(prefix)) count++;
  return count;
}
