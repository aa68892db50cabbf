/**
 * Chapter 5, section 3: the mail, waited for in a thread. `blockingWaitForMail`
 * is the synchronous way, a loop around `sleep(0.1)` that stops whatever
 * thread runs it. `deferToThread` runs it in a Worker of the reactor's
 * thread pool and returns a Deferred of its result, fired on the reactor's
 * thread; meanwhile the reactor's thread is free, and the postman (a
 * `callLater` on the reactor) comes and goes. A thread cannot be stopped
 * halfway (even `Worker.terminate()` waits for the call to return), so the
 * blocking function keeps its own deadline; on Ctrl-C, `react` ends the
 * process, Worker and all. A caller that must wait for the thread instead
 * (`mail_join.ts`) passes a shared word it sets to ask the thread to stop.
 *
 *     deno task part5:mail-thread
 *
 * Nothing else needs to run: the postman is built in (`--deliver-after`).
 *
 * @module
 */

import { reactor } from "../lib/reactor/reactor.ts";
import { react, SystemExit } from "../lib/reactor/task.ts";
import { deferToThread } from "../lib/threads/threads.ts";
import { collectMail, mailSpec, openMailbox, parseMailCommandLine } from "./_mailbox.ts";
import { readMail, shredMail } from "./mail_chain.ts";

/** Seconds between two looks of the thread: the essay's thread sleeps 0.1 s. */
export const LOOK_EVERY = 0.1;

/**
 * Waits for the letter at `path`, looking every {@linkcode LOOK_EVERY} seconds, and blocks the
 * calling thread while it waits: the letter's lines, or null if none came
 * within `deadline` seconds or the main thread set the word in `stop`
 * (by default a word nobody sets).
 * Run in a Worker by `deferToThread`.
 */
export function blockingWaitForMail(
  path: string,
  deadline: number,
  stop: SharedArrayBuffer = new SharedArrayBuffer(4),
): string[] | null {
  const stopped = new Int32Array(stop);
  const giveUpAt = performance.now() + deadline * 1000;
  for (;;) {
    const mail = collectMail(path);
    if (mail !== null) return mail;
    const left = giveUpAt - performance.now();
    if (left <= 0) return null;
    // time.sleep(0.1), except that the main thread can wake us to stop.
    if (Atomics.wait(stopped, 0, 0, Math.min(LOOK_EVERY * 1000, left)) !== "timed-out") return null;
  }
}

if (import.meta.main) {
  const spec = mailSpec(
    "part5:mail-thread",
    "Waits for a letter with a blocking loop run in a thread (deferToThread), then reads\n" +
      "it and shreds it on the reactor's thread.",
  );
  const { deliverAfter, deadline, letter } = parseMailCommandLine(spec);
  const mailbox = await openMailbox();
  const started = reactor.seconds();
  const at = (): string => `${(reactor.seconds() - started).toFixed(1)} s`;

  console.log(`Waiting for mail in a thread, which looks every ${LOOK_EVERY} s`);
  reactor.callLater(deliverAfter, () => {
    mailbox.deliver(letter);
    console.log(`${at()}: the postman delivers a letter, on the reactor's thread`);
  });
  await react(() => {
    const d = deferToThread<string[] | null>(
      import.meta.url,
      "blockingWaitForMail",
      mailbox.path,
      deadline,
    );
    d.addCallback((mail) => {
      if (mail === null) {
        console.log(`${at()}: no mail after ${deadline} s, giving up`);
        throw new SystemExit(1);
      }
      console.log(`${at()}: the thread has the mail:`);
      shredMail(readMail(mail), mailbox.path);
    });
    return d;
  });
}
