/**
 * Test helpers for section 1 of chapter 5: chapter 2's slow poetry
 * servers on free ports (as subprocesses), stopped when the test is done,
 * and a port that refuses connections.
 *
 * @module
 */

import { type SlowServer, startServer, stopServers } from "../lib/testing/poetry_servers.ts";

/** The three poems, with their sizes. */
export const POEMS = {
  ecstasy: { poem: "poetry/ecstasy.txt", bytes: 3003 },
  fascination: { poem: "poetry/fascination.txt", bytes: 623 },
  science: { poem: "poetry/science.txt", bytes: 653 },
} as const;

/**
 * Runs `fn` with a slow server for each of `poems`, each sending
 * `numBytes` every `delay` seconds, and stops them afterwards.
 */
export async function withServers<T>(
  poems: (keyof typeof POEMS)[],
  delay: number,
  numBytes: number,
  fn: (ports: number[]) => Promise<T>,
): Promise<T> {
  const servers: SlowServer[] = [];
  try {
    for (const name of poems) {
      servers.push(await startServer({ poem: POEMS[name].poem, delay, numBytes }));
    }
    return await fn(servers.map((server) => server.port));
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
