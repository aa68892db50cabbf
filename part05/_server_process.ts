/**
 * Runs `part5:slowpoetry` as a subprocess for the tests, with its task's
 * own permissions, on a free port.
 *
 * @module
 */

import { type RunResult, taskArgs } from "../lib/testing/run_task.ts";

/** A running `part5:slowpoetry`. */
export interface Part5Server {
  /** The port it listens on. */
  port: number;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Interrupts it (Ctrl-C) and waits for its exit status and output. */
  stop(): Promise<RunResult>;
}

const decoder = new TextDecoder();

/** Starts the server with `args` (port 0 is added) and waits for its "Serving" line. */
export async function startPart5Server(args: string[]): Promise<Part5Server> {
  const child = new Deno.Command("deno", {
    args: [...await taskArgs("part5:slowpoetry"), "--port", "0", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let text = "";
  const reader = child.stdout.getReader();
  let port = 0;
  while (port === 0) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    port = Number(/^Serving .* on port (\d+)\.$/m.exec(text)?.[1] ?? 0);
  }
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  if (port === 0) {
    await child.status;
    throw new Error(`Cannot start part5:slowpoetry: ${await stderr}`);
  }
  return {
    port,
    output: () => text,
    async stop(): Promise<RunResult> {
      child.kill("SIGINT");
      const [{ code }] = await Promise.all([child.status, rest]);
      return { code, stdout: text, stderr: await stderr };
    },
  };
}
