/**
 * `part3:watch` as a subprocess, for its tests: started through its
 * deno.json task, it says its URL; stopped with Ctrl-C's signal, it tells
 * how it ended.
 *
 * @module
 */

import { taskArgs } from "../lib/testing/run_task.ts";

/** A running `part3:watch`. */
export interface WatchProcess {
  /** The page's URL, as it printed it. */
  url: string;
  /** Reads the page's event stream until the task has exited; returns all of the stream read. */
  untilExit(): Promise<string>;
  /** Sends SIGINT (Ctrl-C) and waits for its exit; its exit code and all it printed. */
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts `deno task part3:watch ...args` and waits (at most 20 s) until it prints its URL. */
export async function startWatch(args: string[]): Promise<WatchProcess> {
  const child = new Deno.Command("deno", {
    args: [...await taskArgs("part3:watch"), ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  let url: string | undefined;
  while (url === undefined) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += value;
    url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
  }
  clearTimeout(timer);
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      stdout += value;
    }
  })();
  if (url === undefined) {
    const { code } = await child.status;
    throw new Error(`part3:watch printed no URL (status ${code}):\n${stdout}\n${await stderr}`);
  }
  return {
    url,
    async untilExit(): Promise<string> {
      const events = await fetch(`${url}events`);
      const reader = (events.body as ReadableStream<Uint8Array>)
        .pipeThrough(new TextDecoderStream()).getReader();
      let stream = "";
      while (!stream.includes('data: {"exit":')) stream += (await reader.read()).value ?? "";
      await reader.cancel();
      return stream;
    },
    async stop(): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        child.kill("SIGINT");
      } catch {
        // It had exited already.
      }
      const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const [{ code }] = await Promise.all([child.status, rest]);
      clearTimeout(kill);
      return { code, stdout, stderr: await stderr };
    },
  };
}
