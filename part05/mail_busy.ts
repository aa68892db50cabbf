/**
 * Chapter 5, section 3: where the essay starts, a busy wait.
 * `waitForMailBusy(callback, errback)` loops, looking for the letter again
 * and again until it is there, then calls `callback` with it (or `errback`
 * with what went wrong). It gets the letter as soon as it comes, and keeps
 * a core at 100 % meanwhile. Then `waitForMail` of `part5:mail-poll`, which
 * looks once a second with `callLater`, waits for the same letter using
 * almost no CPU time at all. The CPU time is the whole process's.
 *
 *     deno task part5:mail-busy
 *
 * Nothing else needs to run: the postman is built in (`--deliver-after`).
 *
 * @module
 */

import process from "node:process";
import { reactor } from "../lib/reactor/reactor.ts";
import { collectMail, mailSpec, openMailbox, parseMailCommandLine } from "./_mailbox.ts";
import { deferLater, react } from "../lib/reactor/task.ts";
import { waitForMail } from "./mail_poll.ts";

/**
 * The essay's first `wait_for_mail`: `while True`, look for the letter;
 * `callback` with its lines once there, `errback` if looking fails or the
 * deadline passes. Blocks the thread, busy, all along.
 */
export function waitForMailBusy(
  path: string,
  deadline: number,
  callback: (mail: string[]) => void,
  errback: (error: Error) => void,
): void {
  const giveUpAt = performance.now() + deadline * 1000;
  for (;;) {
    let mail: string[] | null;
    try {
      mail = collectMail(path);
    } catch (error) {
      errback(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (mail !== null) {
      callback(mail);
      return;
    }
    if (performance.now() >= giveUpAt) {
      errback(new Error(`No mail after ${deadline} s`));
      return;
    }
  }
}

if (import.meta.main) {
  const spec = mailSpec(
    "part5:mail-busy",
    "Waits for a letter with a busy loop, then with callLater, and shows the CPU time each used.",
  );
  const { deliverAfter, deadline, letter } = parseMailCommandLine(spec);
  const mailbox = await openMailbox();
  const postman = new URL("./mail_join.ts", import.meta.url);
  const stop = new SharedArrayBuffer(4);

  /** Runs `wait` with a postman thread on his way; resolves with a report line. */
  const measure = async (how: string, wait: () => PromiseLike<string[]>): Promise<string> => {
    reactor.callInThread(postman, "deliverLater", mailbox.dir, deliverAfter, letter, stop);
    const cpu = process.cpuUsage();
    const start = performance.now();
    const mail = await wait();
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const ms = (used.user + used.system) / 1000;
    Deno.removeSync(mailbox.path);
    return `${how}: got "${mail.join(" ")}" after ${seconds.toFixed(1)} s, using ` +
      `${ms.toFixed(0)} ms of CPU time (${(ms / 10 / seconds).toFixed(0)} % of a core)`;
  };

  await react(async () => {
    // react calls main before the reactor runs, and the thread pool starts with the reactor:
    // the postman must be on his way before the busy loop takes this thread.
    await deferLater(reactor, 0);
    console.log(`The postman comes after ${deliverAfter} s, each time.`);
    console.log(
      await measure(
        "Busy wait",
        () =>
          new Promise((resolve, reject) =>
            waitForMailBusy(mailbox.path, deadline, resolve, reject)
          ),
      ),
    );
    console.log(
      await measure(
        "callLater once a second",
        () => waitForMail(mailbox.path).addTimeout(deadline, reactor),
      ),
    );
  });
  // If the postman is still on his way (Ctrl-C), wake him: the process cannot end before he returns.
  Atomics.store(new Int32Array(stop), 0, 1);
  Atomics.notify(new Int32Array(stop), 0);
  await mailbox.remove();
}
