/**
 * Test helpers: run a `deno.json` task's script as a subprocess with the
 * task's own permission flags, so a test checks what a learner runs.
 *
 * @module
 */

import { assertEquals, assertMatch, assertStringIncludes } from "./asserts.ts";

/** What a finished subprocess left behind. */
export interface RunResult {
  /** Exit status. */
  code: number;
  /** Standard output, decoded. */
  stdout: string;
  /** Standard error, decoded. */
  stderr: string;
}

/** Options for {@linkcode runTask}. */
export interface RunTaskOptions {
  /** Kill the subprocess and fail after this many seconds (default 30). */
  timeoutSeconds?: number;
  /**
   * Send `signal` a quarter of a second after standard output contains this
   * text, time enough for the script to reach its next statement.
   */
  interruptAfter?: string;
  /** Environment variables to set for the subprocess, on top of the inherited ones. */
  env?: Record<string, string>;
  /** The signal `interruptAfter` sends (default SIGINT, as Ctrl-C does). */
  signal?: Deno.Signal;
}

const decoder = new TextDecoder();

/**
 * The `deno` arguments of a task: its command with the leading `deno`
 * removed, ready for `new Deno.Command("deno", { args })`.
 */
export async function taskArgs(name: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile("deno.json"));
  const task = config.tasks?.[name];
  if (task === undefined) throw new Error(`Cannot find task: ${name} is not in deno.json`);
  const words = String(task.command).split(/\s+/).filter((word) => word !== "");
  if (words[0] !== "deno") throw new Error(`Cannot run task ${name}: it does not start with deno`);
  return words.slice(1);
}

/**
 * Runs task `name` with extra `args` as a subprocess and collects its output.
 *
 * @throws {Error} if it runs longer than the timeout (the process is killed first)
 */
export async function runTask(
  name: string,
  args: string[] = [],
  options: RunTaskOptions = {},
): Promise<RunResult> {
  return runDeno([...await taskArgs(name), ...args], options);
}

/** Runs `deno ...args` as a subprocess; see {@linkcode runTask}. */
export async function runDeno(args: string[], options: RunTaskOptions = {}): Promise<RunResult> {
  const { timeoutSeconds = 30, interruptAfter, env = {}, signal = "SIGINT" } = options;
  const child = new Deno.Command("deno", {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...env },
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutSeconds * 1000);
  let interruptTimer: ReturnType<typeof setTimeout> | undefined;
  const interrupt = (): void => {
    interruptTimer = setTimeout(() => child.kill(signal), 250);
  };
  try {
    const [stdout, stderr, status] = await Promise.all([
      collect(child.stdout, interruptAfter, interrupt),
      collect(child.stderr),
      child.status,
    ]);
    if (timedOut) {
      throw new Error(`Timed out after ${timeoutSeconds} s: deno ${args.join(" ")}\n${stdout}`);
    }
    return { code: status.code, stdout, stderr };
  } finally {
    clearTimeout(timer);
    clearTimeout(interruptTimer);
  }
}

async function collect(
  stream: ReadableStream<Uint8Array>,
  trigger?: string,
  onTrigger?: () => void,
): Promise<string> {
  let text = "";
  let triggered = false;
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    if (!triggered && trigger !== undefined && text.includes(trigger)) {
      triggered = true;
      onTrigger?.();
    }
  }
  return text + decoder.decode();
}

/** A server task running as a subprocess; see {@linkcode startServerTask}. */
export interface ServerTask {
  /** The port it said it listens on. */
  port: number;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Sends it `signal` (default SIGINT, as Ctrl-C does) and waits for its exit and output. */
  stop(signal?: Deno.Signal): Promise<RunResult>;
}

/**
 * Starts task `name` with `args` (give `--port 0` for a free port) and waits
 * until its standard output says `Serving ... on port N.`, as the slow
 * poetry servers do.
 *
 * @throws {Error} with what it printed on stderr if it exits before that
 */
export async function startServerTask(name: string, args: string[]): Promise<ServerTask> {
  const child = new Deno.Command("deno", {
    args: [...await taskArgs(name), ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const stderr = collect(child.stderr);
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
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += decoder.decode(chunk.value, { stream: true });
    }
  })();
  if (port === 0) {
    await Promise.all([child.status, rest]);
    throw new Error(`Cannot start ${name}: ${await stderr}`);
  }
  return {
    port,
    output: () => text,
    async stop(signal: Deno.Signal = "SIGINT"): Promise<RunResult> {
      try {
        child.kill(signal);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // it had already exited
      }
      const [{ code }] = await Promise.all([child.status, rest]);
      return { code, stdout: text, stderr: await stderr };
    },
  };
}

/**
 * One bad command line of a task: what it is (for the test's name), the
 * arguments, and what the `error:` line says (a text it contains after
 * `error: `, or a pattern it matches).
 */
export type BadInput = [what: string, args: string[], message: string | RegExp];

/**
 * Registers one test per bad input, each checking the repository's rule
 * for bad input: nothing on stdout, one `error:` line on stderr, a blank
 * line, the usage, and exit status 2.
 */
export function testBadInputs(task: string, badInputs: BadInput[]): void {
  for (const [what, args, message] of badInputs) {
    Deno.test(`${task} refuses ${what} with one line and the usage (status 2)`, async () => {
      const { code, stdout, stderr } = await runTask(task, args);
      assertEquals(code, 2, stderr);
      assertEquals(stdout, "");
      const [first, blank] = stderr.split("\n");
      if (typeof message === "string") assertStringIncludes(first, `error: ${message}`);
      else assertMatch(first, message);
      assertEquals(blank, "");
      assertStringIncludes(stderr, `\n\nusage: deno task ${task} [options]`);
    });
  }
}
