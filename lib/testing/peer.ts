/**
 * A test peer on another thread: a Worker that connects to a port and
 * sends text on a schedule, so a test can block the main thread in `recv`
 * and still have bytes arrive. Post it `{ port, sends: [[delayMs, text]...] }`;
 * it closes the connection after the last send and posts "done".
 *
 * @module
 */

import { startWorker, stopWorker } from "../workers/worker.ts";

/** What the peer is told to do. */
export interface PeerPlan {
  /** The port on 127.0.0.1 to connect to. */
  port: number;
  /** Each entry: wait this many milliseconds, then send this text. */
  sends: [number, string][];
}

const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<PeerPlan>) => void;
  postMessage(message: unknown): void;
};

scope.onmessage = async ({ data: { port, sends } }) => {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  for (const [delayMs, text] of sends) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await conn.write(new TextEncoder().encode(text));
  }
  conn.close();
  scope.postMessage("done");
};

/** Starts a peer that follows `plan`; call `stop()` when done with it. */
export function startPeer(plan: PeerPlan): { done: Promise<void>; stop: () => void } {
  const worker = startWorker(new URL(import.meta.url), {
    name: "test peer",
    purpose: "start a test peer",
    readHint: "lib",
  });
  const done = new Promise<void>((resolve) => worker.onmessage = () => resolve());
  worker.postMessage(plan);
  return { done, stop: () => stopWorker(worker) };
}
