/**
 * Runs this chapter's scripts as subprocesses, with the same permissions as
 * their deno.json tasks (a test checks that they match): slow poetry
 * servers for the race and the tests, and the two clients.
 *
 * @module
 */

import { parseDuration } from "../lib/cli/mod.ts";
import type { ServerSettings, SlowServer } from "../lib/testing/poetry_servers.ts";

/** The `deno` arguments of each script, as in its deno.json task. */
export const scriptArgs = {
  "part2:slowpoetry": [
    "run",
    "--allow-net=127.0.0.1,localhost,[::1]",
    "--allow-read=poetry,lib",
    "part02/slowpoetry.ts",
  ],
  "part2:blocking-client": [
    "run",
    "--allow-net=127.0.0.1,localhost,[::1]",
    "--allow-read=lib",
    "part02/blocking_client.ts",
  ],
  "part2:async-client": [
    "run",
    "--allow-net=127.0.0.1,localhost,[::1]",
    "--allow-read=lib",
    "part02/async_client.ts",
  ],
} as const;

/** The repository's root: the scripts' paths and the poems' are relative to it. */
export const root = decodeURIComponent(new URL("..", import.meta.url).pathname);

/** A slow poetry server running as a subprocess, with what it printed. */
export interface ServerProcess extends SlowServer {
  /** Everything it printed so far. */
  output(): string;
}

const decoder = new TextDecoder();

/**
 * Starts a slow poetry server on a free port and waits for its "Serving
 * ... on port N." line.
 *
 * @throws {Error} with the server's error line if it exits instead
 */
export async function startServer(settings: ServerSettings): Promise<ServerProcess> {
  const { poem, delay, numBytes } = settings;
  const args = ["--port", "0", "--delay", String(delay), "--num-bytes", String(numBytes), poem];
  const child = spawn([...scriptArgs["part2:slowpoetry"], ...args]);
  let text = "";
  let port = 0;
  const reader = child.stdout.getReader();
  while (port === 0) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    port = Number(/^Serving .* on port (\d+)\.$/m.exec(text)?.[1] ?? 0);
  }
  const errors = new Response(child.stderr).text();
  if (port === 0) {
    reader.releaseLock();
    await child.status;
    const message = (await errors).split("\n")[0];
    throw new Error(`Cannot start a slow poetry server for ${poem}: ${message}`);
  }
  const drained = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
    }
  })();
  return {
    settings,
    port,
    output: () => text,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // it had already exited
      }
      await Promise.all([child.status, drained, errors]);
    },
  };
}

/** The output and exit status of a client run. */
export interface ClientRun {
  /** Exit status. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Total seconds from its last line, `Got N poems in H:MM:SS.ffffff` (NaN if missing). */
  seconds: number;
}

/**
 * Runs a client against `ports` and waits for it to finish.
 *
 * @param echo called with each piece of its output as it comes (the race shows it live)
 * @param started told the child process, so a Ctrl-C handler can kill it
 */
export async function runClient(
  task: "part2:blocking-client" | "part2:async-client",
  args: string[],
  echo: (text: string) => void = () => {},
  started: (child: Deno.ChildProcess) => void = () => {},
): Promise<ClientRun> {
  const child = spawn([...scriptArgs[task], ...args]);
  started(child);
  let stdout = "";
  const errors = new Response(child.stderr).text();
  for await (const chunk of child.stdout) {
    const text = decoder.decode(chunk, { stream: true });
    stdout += text;
    echo(text);
  }
  const [{ code }, stderr] = await Promise.all([child.status, errors]);
  if (stderr !== "") echo(stderr);
  const total = /^Got \d+ poems in (\S+)$/m.exec(stdout)?.[1] ?? "";
  return { code, stdout, seconds: parseDuration(total) };
}

function spawn(args: string[]): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args,
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}
