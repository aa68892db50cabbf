/**
 * Chapter 5, section 3: the essay's threaded example, and why `join()`
 * undoes it. A thread runs the blocking loop (look for the letter, sleep
 * 0.1 s, look again) and the main thread calls `join()` on it: "doesn't
 * force the main part to block, sort of". It does: while joined, the
 * reactor's thread waits too, and a heartbeat on the reactor stops. The
 * same thread started with `deferToThread` hands back a Deferred instead,
 * and the heartbeat goes on. The postman is a thread too here, since in the
 * first run the reactor cannot let him in.
 *
 *     deno task part5:mail-join
 *
 * Nothing else needs to run: the postman is built in (`--deliver-after`).
 *
 * @module
 */

import { reactor } from "../lib/reactor/reactor.ts";
import { deferToThread } from "../lib/threads/threads.ts";
import { deliverTo, mailSpec, openMailbox, parseMailCommandLine } from "./_mailbox.ts";
import { Heartbeat, INTERVAL, type Measured } from "./_heartbeat.ts";
import { react } from "../lib/reactor/task.ts";
import { blockingWaitForMail, LOOK_EVERY } from "./mail_thread.ts";

/**
 * The postman, in a thread: sleeps `seconds`, then delivers `letter` into
 * `dir`; unless the main thread sets the word in `stop` first (the script
 * ends early), which wakes him to go home.
 */
export function deliverLater(
  dir: string,
  seconds: number,
  letter: string,
  stop: SharedArrayBuffer,
): void {
  if (Atomics.wait(new Int32Array(stop), 0, 0, seconds * 1000) === "timed-out") {
    deliverTo(dir, letter);
  }
}

/** The thread's body: {@linkcode blockingWaitForMail}, then sets the word in `done` (what `join()` waits on). */
export function waitThenSignal(
  path: string,
  deadline: number,
  stop: SharedArrayBuffer,
  done: SharedArrayBuffer,
): string[] | null {
  try {
    return blockingWaitForMail(path, deadline, stop);
  } finally {
    Atomics.store(new Int32Array(done), 0, 1);
    Atomics.notify(new Int32Array(done), 0);
  }
}

if (import.meta.main) {
  const spec = mailSpec(
    "part5:mail-join",
    "Waits for a letter in a thread twice: joined (the reactor's thread waits too), then\n" +
      "with deferToThread, with a heartbeat on the reactor to show which one blocks.",
  );
  const { deliverAfter, deadline, letter } = parseMailCommandLine(spec);
  const mailbox = await openMailbox();
  const stop = new SharedArrayBuffer(4);
  const heartbeat = new Heartbeat();

  /** Starts the postman and the thread; with `join`, waits for the thread right here. */
  const waitForMail = (join: boolean): PromiseLike<string[] | null> => {
    reactor.callInThread(import.meta.url, "deliverLater", mailbox.dir, deliverAfter, letter, stop);
    const done = new SharedArrayBuffer(4);
    const d = deferToThread<string[] | null>(
      import.meta.url,
      "waitThenSignal",
      mailbox.path,
      deadline,
      stop,
      done,
    );
    // t.join(): the reactor's thread sleeps until the thread's last word.
    if (join) Atomics.wait(new Int32Array(done), 0, 0, (deadline + 1) * 1000);
    return d;
  };

  const report = (how: string, { result, ms, late }: Measured<string[] | null>): void => {
    const got = result === null ? "no mail" : `"${result.join(" ")}"`;
    console.log(
      `${how}: the thread got ${got} after ${(ms / 1000).toFixed(1)} s; ` +
        `the heartbeat was ${late.toFixed(1)} ms late at worst`,
    );
    Deno.removeSync(mailbox.path, { recursive: true });
  };

  await react(async () => {
    reactor.suggestThreadPoolSize(2); // the thread, and the postman
    console.log(
      `A thread looks for mail every ${LOOK_EVERY} s; a postman thread delivers after ` +
        `${deliverAfter} s; the heartbeat beats every ${INTERVAL} s.`,
    );
    await heartbeat.start();
    report("join()", await heartbeat.measure(() => waitForMail(true)));
    report("deferToThread", await heartbeat.measure(() => waitForMail(false)));
    heartbeat.stop();
  });
  Atomics.store(new Int32Array(stop), 0, 1);
  Atomics.notify(new Int32Array(stop), 0);
  await mailbox.remove();
}
