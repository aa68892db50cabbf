/**
 * Test helper for chapter 4: slow poetry servers on free ports (chapter 2's
 * server, as a subprocess), stopped when the test is done, and a port that
 * refuses connections.
 *
 * @module
 */

import { type SlowServer, startServer, stopServers } from "../part02/_processes.ts";

/** The three poems, with the sizes the tests expect. */
export const POEMS = {
  ecstasy: { poem: "poetry/ecstasy.txt", bytes: 3003 },
  fascination: { poem: "poetry/fascination.txt", bytes: 623 },
  science: { poem: "poetry/science.txt", bytes: 653 },
} as const;

/**
 * Runs `fn` with slow servers for `poems`, each sending `numBytes` every
 * `delay` seconds, and stops them afterwards, whatever happens.
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
