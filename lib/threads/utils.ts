/**
 * {@linkcode getProcessOutput}: run a program and get what it printed as a
 * Deferred, after Twisted's `twisted.internet.utils`: the other way out of
 * blocking work, a process instead of a thread.
 *
 * @module
 */

import { Deferred, fail } from "../defer/deferred.ts";
import type { IReactorCore, IReactorFromThreads } from "../interfaces.ts";
import { reactor as globalReactor } from "../reactor/reactor.ts";
import { joinBytes } from "../bytes/bytes.ts";
import { ProcessTerminated } from "../error.ts";
import { fireFromThread } from "./_from_thread.ts";

/** Options for {@linkcode getProcessOutput}, named as Twisted's arguments. */
export interface ProcessOutputOptions {
  /** Variables to set for the process, on top of the script's environment. */
  env?: Record<string, string>;
  /** The directory to run it in (by default, the script's working directory). */
  path?: string;
  /** Include standard error in the result instead of failing when there is some. */
  errortoo?: boolean;
  /** The reactor whose turn fires the Deferred (by default, the global one). */
  reactor?: IReactorFromThreads & Pick<IReactorCore, "running">;
}

/**
 * Raised (as the Failure of {@linkcode getProcessOutput}) when the process
 * wrote to standard error and `errortoo` was not set, as Twisted's
 * `_UnexpectedErrorOutput` (an `IOError` there).
 */
export class UnexpectedErrorOutput extends Error {
  /** What the process wrote to standard error. */
  readonly stderr: string;
  /** Its exit code. */
  readonly exitCode: number;

  /** Creates the error for a process that wrote `stderr` and exited with `exitCode`. */
  constructor(stderr: string, exitCode: number) {
    super(`Cannot take the output of the process: it wrote to stderr: ${JSON.stringify(stderr)}`);
    this.name = "UnexpectedErrorOutput";
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

/**
 * Runs `executable` with `args` and returns a Deferred that fires, once the
 * process has ended, with everything it wrote to standard output (and to
 * standard error too, with `errortoo`, in the order it arrived). As in
 * Twisted, the exit code does not matter; output on standard error without
 * `errortoo` errbacks with {@linkcode UnexpectedErrorOutput} (Twisted
 * errbacks as soon as the first byte arrives and closes the pipes; here the
 * process is left to finish and its whole stderr is in the error).
 *
 * Never throws: a program that cannot be started (not found, or not
 * allowed: the script needs `--allow-run=<executable>`) gives a failed
 * Deferred.
 *
 * @example
 * ```ts ignore
 * const output = await getProcessOutput("deno", ["eval", "console.log(6 * 7)"]);
 * console.log(new TextDecoder().decode(output)); // "42\n"
 * ```
 */
export function getProcessOutput(
  executable: string,
  args: string[] = [],
  options: ProcessOutputOptions = {},
): Deferred<Uint8Array> {
  const { env, path, errortoo = false, reactor = globalReactor } = options;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(executable, {
      args,
      env,
      cwd: path,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return fail(error);
  }
  const deferred = new Deferred<Uint8Array>();
  const chunks: Uint8Array[] = [];
  const errors: Uint8Array[] = [];
  Promise.all([
    collect(child.stdout, chunks),
    collect(child.stderr, errortoo ? chunks : errors),
    child.status,
  ]).then(([, , status]) => {
    fireFromThread(reactor, () => {
      if (status.signal !== null) {
        deferred.errback(new ProcessTerminated(status.signal));
      } else if (errors.length > 0) {
        const stderr = new TextDecoder().decode(joinBytes(errors));
        deferred.errback(new UnexpectedErrorOutput(stderr, status.code));
      } else {
        deferred.callback(joinBytes(chunks));
      }
    });
  }, (error) => {
    fireFromThread(reactor, () => deferred.errback(error));
  });
  return deferred;
}

async function collect(stream: ReadableStream<Uint8Array>, into: Uint8Array[]): Promise<void> {
  for await (const chunk of stream) into.push(chunk);
}
