/**
 * The run that `part3:watch` records, and the pages that follow it: every
 * line of the run is kept (so a page opened late, or after the task ended,
 * gets all of it), and each open page gets new lines as Server-Sent Events,
 * in batches: the lines read from the task in one go leave in one message,
 * at once.
 *
 * The lines are JSON, one object each: the trace's own records
 * (`lib/reactor/trace_events.ts`) as the task wrote them, and around them
 * `{"task": …, "args": […]}` first, `{"output": …, "stream": …}` for each
 * line the task printed, and `{"exit": code}` at the end.
 *
 * @module
 */

import { parseTraceRecord } from "../lib/reactor/trace_reader.ts";
import { spawnTraced } from "./trace_figure.ts";

/** Lines per event of the backlog a new page is sent first. */
const BACKLOG_BATCH = 2000;

const encoder = new TextEncoder();

/** One open page: its stream, and the lines it has not been sent yet. */
interface Page {
  controller: ReadableStreamDefaultController<Uint8Array>;
  pending: string[];
}

/** The recorded run, and the pages watching it. */
export class WatchHub {
  readonly #lines: string[] = [];
  readonly #pages = new Set<Page>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onFirstPage: (() => void) | null = null;

  /** Every line so far, one JSON object each: the file a page saves. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Calls `callback` once, when the first page opens its event stream (at once if one has). */
  onFirstPage(callback: () => void): void {
    if (this.#pages.size > 0) callback();
    else this.#onFirstPage = callback;
  }

  /** Records a line of the run, and queues it for every open page. */
  add(line: string): void {
    this.#lines.push(line);
    if (this.#pages.size === 0) return;
    for (const page of this.#pages) page.pending.push(line);
    // The lines read in one chunk share a message, sent once they are all in. (Holding lines
    // back to send fewer messages cost 20 ms a turn and saved nothing measurable.)
    this.#timer ??= setTimeout(() => this.#flush(), 0);
  }

  /**
   * A new page's event stream: the whole run so far as `backlog` events,
   * then each batch of new lines as a plain event, `data:` one line each.
   */
  open(): ReadableStream<Uint8Array> {
    let page: Page;
    return new ReadableStream({
      start: (controller) => {
        page = { controller, pending: [] };
        for (let i = 0; i < this.#lines.length; i += BACKLOG_BATCH) {
          controller.enqueue(frame(this.#lines.slice(i, i + BACKLOG_BATCH), "backlog"));
        }
        controller.enqueue(frame([], "live"));
        this.#pages.add(page);
        const first = this.#onFirstPage;
        this.#onFirstPage = null;
        first?.();
      },
      cancel: () => this.#drop(page),
    });
  }

  /** Ends every page's stream (the server is going away). */
  close(): void {
    this.#flush();
    for (const page of [...this.#pages]) {
      this.#drop(page);
      try {
        page.controller.close();
      } catch {
        // The page had gone already.
      }
    }
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const page of this.#pages) {
      if (page.pending.length === 0) continue;
      try {
        page.controller.enqueue(frame(page.pending));
      } catch {
        this.#drop(page);
      }
      page.pending = [];
    }
  }

  #drop(page: Page): void {
    this.#pages.delete(page);
    if (this.#pages.size === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

/** One Server-Sent Event holding `lines` (each already one line of JSON). */
function frame(lines: string[], event?: string): Uint8Array {
  const head = event === undefined ? "" : `event: ${event}\n`;
  const data = lines.length === 0 ? "data:\n" : lines.map((line) => `data: ${line}\n`).join("");
  return encoder.encode(`${head}${data}\n`);
}

/** Calls `onLine` with each line of `stream` as it comes. */
async function eachLine(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + text).split("\n");
    rest = lines.pop() as string;
    for (const line of lines) onLine(line);
  }
  if (rest !== "") onLine(rest);
}

/** Writes a line of the task's output to our own terminal; a closed one is not an error. */
function echo(line: string, stream: "stdout" | "stderr"): void {
  try {
    if (stream === "stdout") console.log(line);
    else console.error(line);
  } catch {
    // Nobody reads our output any more; the page still does.
  }
}

/**
 * Runs `deno task TASK ...args` in `root` with the JSON trace on, and
 * records its trace and its output into `hub` (the output is also echoed to
 * ours); `done` resolves with its exit status, once all it wrote is in.
 */
export function recordTask(
  hub: WatchHub,
  task: string,
  args: string[],
  root: URL,
): { child: Deno.ChildProcess; done: Promise<Deno.CommandStatus> } {
  const child = spawnTraced(task, args, "json", root);
  let traced = false;
  const output = (stream: "stdout" | "stderr") => (line: string): void => {
    if (stream === "stderr" && parseTraceRecord(line) !== null) {
      traced = true;
      hub.add(line);
      return;
    }
    hub.add(JSON.stringify({ output: line, stream }));
    echo(line, stream);
  };
  const done = Promise.all([
    child.status,
    eachLine(child.stdout, output("stdout")),
    eachLine(child.stderr, output("stderr")),
  ]).then(([status]) => {
    hub.add(JSON.stringify({ exit: status.code, signal: status.signal }));
    if (!traced) console.error(`error: ${task} wrote no reactor trace: does it run the reactor?`);
    return status;
  });
  return { child, done };
}
