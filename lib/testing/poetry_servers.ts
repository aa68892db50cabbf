/**
 * Slow poetry servers for tests, in the test's own process: each sends a
 * poem in chunks of `numBytes` every `delay` seconds, then closes, as
 * chapter 2's server does, on a free port of 127.0.0.1. Chapter 2 tests its
 * own server as a subprocess (`part02/_processes.ts`); the other chapters
 * need only something that serves poetry slowly, and this one costs no
 * process and no extra permission beyond reading `poetry/`.
 *
 * @module
 */

import { assert, assertEquals } from "./asserts.ts";
import { taskArgs } from "./run_task.ts";

/** How a slow poetry server serves. */
export interface ServerSettings {
  /** The poem file, relative to the repository's root (e.g. `poetry/science.txt`). */
  poem: string;
  /** Seconds between chunks. */
  delay: number;
  /** Bytes per chunk. */
  numBytes: number;
}

/**
 * A running slow poetry server: one here, in the test's process, or
 * chapter 2's as a subprocess (`part02/_processes.ts`'s `ServerProcess`).
 */
export interface SlowServer {
  /** How it serves. */
  settings: ServerSettings;
  /** The port it listens on, chosen by the OS. */
  port: number;
  /** Stops listening, drops the clients still being served, and waits until all is closed. */
  stop(): Promise<void>;
}

const root = new URL("../../", import.meta.url);

/** Starts a slow poetry server on a free port of 127.0.0.1. */
export async function startServer(settings: ServerSettings): Promise<SlowServer> {
  const poem = await Deno.readFile(new URL(settings.poem, root));
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stopping = new AbortController();
  const connections = new Set<Deno.Conn>();
  const serving: Promise<void>[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        connections.add(conn);
        serving.push(
          serve(conn, poem, settings, stopping.signal).finally(() => {
            connections.delete(conn);
          }),
        );
      }
    } catch (error) {
      if (!stopping.signal.aborted) throw error;
    }
  })();
  return {
    settings,
    port: (listener.addr as Deno.NetAddr).port,
    stop: async () => {
      stopping.abort();
      listener.close();
      for (const conn of connections) closeQuietly(conn);
      await accepting;
      await Promise.all(serving);
    },
  };
}

/** Stops every server given, even if stopping one fails. */
export async function stopServers(servers: SlowServer[]): Promise<void> {
  await Promise.allSettled(servers.map((server) => server.stop()));
}

/** The three poems, with their sizes in bytes. */
export const POEMS = {
  ecstasy: { poem: "poetry/ecstasy.txt", bytes: 3003 },
  fascination: { poem: "poetry/fascination.txt", bytes: 623 },
  science: { poem: "poetry/science.txt", bytes: 653 },
} as const;

/**
 * Runs `fn` with a slow server for each of `poems`, each sending
 * `numBytes` every `delay` seconds, and stops them afterwards, whatever
 * happens.
 */
export async function withServers<T>(
  poems: (keyof typeof POEMS)[],
  delay: number,
  numBytes: number,
  fn: (ports: number[], servers: SlowServer[]) => Promise<T>,
): Promise<T> {
  const servers: SlowServer[] = [];
  try {
    for (const name of poems) {
      servers.push(await startServer({ poem: POEMS[name].poem, delay, numBytes }));
    }
    return await fn(servers.map((server) => server.port), servers);
  } finally {
    await stopServers(servers);
  }
}

/** A port on 127.0.0.1 where nothing listens: bound by the OS, then released. */
export function refusingPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function serve(
  conn: Deno.Conn,
  poem: Uint8Array,
  { delay, numBytes }: ServerSettings,
  stopping: AbortSignal,
): Promise<void> {
  try {
    for (let at = 0; at < poem.length && !stopping.aborted; at += numBytes) {
      await writeAll(conn, poem.subarray(at, at + numBytes));
      await sleep(delay, stopping);
    }
  } catch {
    // The client left, or the server is stopping: either way this client is done.
  } finally {
    closeQuietly(conn);
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

function sleep(seconds: number, stopping: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stopping.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    stopping.addEventListener("abort", done);
  });
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

/**
 * Checks that a closed standard output (`| head -1`) ends the client `task`
 * promptly and quietly, long before its poem would end: status 141, nothing on stderr.
 */
export async function checkClosedStdout(task: string, args: string[] = []): Promise<void> {
  // science at 10 bytes every 0.05 s takes 3.3 s; the script must not wait for it.
  await withServers(["science"], 0.05, 10, async (ports) => {
    const child = new Deno.Command("deno", {
      args: [...await taskArgs(task), ...args, ...ports.map(String)],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const started = performance.now();
    const reader = child.stdout.getReader();
    await reader.read(); // the first line, then the reader goes away, as head does
    await reader.cancel();
    const [{ code }, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    const seconds = (performance.now() - started) / 1000;
    assertEquals([code, stderr], [141, ""]);
    assert(seconds < 3, `ended ${seconds.toFixed(1)} s after its stdout closed`);
  });
}
