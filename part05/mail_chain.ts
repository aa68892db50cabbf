/**
 * Chapter 5, section 3: one Deferred, a chain of callbacks, each passing
 * its result to the next. When the letter comes, `readMail` prints it and
 * returns a new value, `this <letter> is junk`; `shredMail` gets that value
 * (and the mailbox's path, an extra argument given to `addCallback`),
 * shreds the letter and prints what it got. Neither knows when the mail
 * will come, or that they run on the reactor.
 *
 *     deno task part5:mail-chain
 *     deno task part5:mail-chain --letter postcard
 *
 * Nothing else needs to run: the postman is built in (`--deliver-after`).
 *
 * @module
 */

import { TimeoutError } from "../lib/defer/error.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { react, SystemExit } from "../lib/reactor/task.ts";
import { mailSpec, openMailbox, parseMailCommandLine } from "./_mailbox.ts";
import { waitForMail } from "./mail_poll.ts";

/** The first callback: prints the letter, and returns what the next callback gets. */
export function readMail(mail: string[]): string {
  for (const line of mail) console.log(line);
  return `this ${mail.join(" ")} is junk`;
}

/** The second callback: gets what `readMail` returned, shreds the letter, and prints it. */
export function shredMail(junk: string, path: string): void {
  Deno.removeSync(path);
  console.log(`buzzzzz: ${junk}`);
}

if (import.meta.main) {
  const spec = mailSpec(
    "part5:mail-chain",
    "Waits for a letter, then reads it and shreds it: two callbacks on one Deferred.",
  );
  const { deliverAfter, deadline, letter } = parseMailCommandLine(spec);
  const mailbox = await openMailbox();
  reactor.callLater(deliverAfter, () => mailbox.deliver(letter));

  const d = waitForMail(mailbox.path).addTimeout(deadline, reactor);
  // Each addCallback returns the same Deferred, typed with what its callback returns.
  d.addCallback(readMail) // gets the letter's lines, returns "this … is junk"
    .addCallback(shredMail, mailbox.path) // gets "this … is junk"
    .addErrback((failure) => { // only if no letter came in time
      failure.trap(TimeoutError);
      console.log(`No mail after ${deadline} s, giving up`);
      throw new SystemExit(1);
    });

  await react(() => d);
}
