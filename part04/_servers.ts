/**
 * Test helpers for chapter 4: the probe script (`_probe.ts`), run against
 * the slow poetry servers of `lib/testing/poetry_servers.ts`.
 *
 * @module
 */

import { assertEquals } from "../lib/testing/asserts.ts";
import { runDeno, taskArgs } from "../lib/testing/run_task.ts";

/** What the probe saw: how late its heartbeat fired, and the delayed calls left pending. */
export interface ProbeResult {
  /** Seconds the heartbeat due 0.1 s after the first doRead began fired late. */
  late: number;
  /** Whether the heartbeat fired before the last doRead ended, that is while reading went on. */
  firedWhileReading: boolean;
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
    firedWhileReading: /^heartbeat fired before the last read ended$/m.test(stdout),
    pending: Number(/^pending delayed calls: (\d+)$/m.exec(stdout)?.[1]),
    stdout,
  };
}
