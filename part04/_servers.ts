/**
 * Test helpers for chapter 4: slow poetry servers on free ports (in the
 * test's process, from lib/testing), stopped when the test is done; a port that
 * refuses connections; and the probe script (`_probe.ts`).
 *
 * @module
 */

import { assertEquals } from "../lib/testing/asserts.ts";
import { runDeno, taskArgs } from "../lib/testing/run_task.ts";
import { type SlowServer, startServer, stopServers } from "../lib/testing/poetry_servers.ts";

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

/** What the probe saw: how late its heartbeat fired, and the delayed calls left pending. */
export interface ProbeResult {
  /** Seconds the heartbeat due 0.1 s after the start fired late. */
  late: number;
  /** Delayed calls other than the heartbeat still pending when the reactor stopped. */
  pending: number;
  /** Everything the probe printed. */
  stdout: string;
}

/**
 * Runs `_probe.ts` with one of the chapter's PoetrySocket classes against
 * `ports`, with the permissions of the chapter's client tasks.
 */
export async function runProbe(
  kind: "plain" | "broken" | "timeout",
  ports: number[],
): Promise<ProbeResult> {
  const args = (await taskArgs("part4:get-poetry")).map((arg) =>
    arg === "part04/get_poetry.ts" ? "part04/_probe.ts" : arg
  );
  const { code, stdout } = await runDeno([...args, kind, ...ports.map(String)]);
  assertEquals(code, 0, stdout);
  return {
    late: Number(/^heartbeat late by (\d+\.\d+) s$/m.exec(stdout)?.[1]),
    pending: Number(/^pending delayed calls: (\d+)$/m.exec(stdout)?.[1]),
    stdout,
  };
}
