/**
 * Chapter 5, section 3: one Deferred, a chain of callbacks. When the
 * letter comes, `readMail` prints it and passes it on; `shredMail` gets
 * what `readMail` returned (and the mailbox's path, an extra argument
 * given to `addCallback`), shreds the letter and says so. Neither knows
 * when the mail will come, or that they run on the reactor.
 *
 *     deno task part5:mail-chain
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

/** The first callback: prints the letter and passes it on to the next one. */
export function readMail(mail: string[]): string[] {
  for (const line of mail) console.log(line);
  return mail;
}

/** The second callback: gets the letter from `readMail`, and shreds it. */
export function shredMail(_mail: string[], path: string): void {
  Deno.removeSync(path);
  console.log("buzzzzz: this letter is junk");
}

if (import.meta.main) {
  const spec = mailSpec(
    "part5:mail-chain",
    "Waits for a letter, then reads it and shreds it: two callbacks on one Deferred.",
  );
  const { deliverAfter, deadline } = parseMailCommandLine(spec);
  const mailbox = await openMailbox();
  reactor.callLater(deliverAfter, () => mailbox.deliver());

  const d = waitForMail(mailbox.path).addTimeout(deadline, reactor);
  d.addCallback(readMail);
  d.addCallback(shredMail, mailbox.path);
  d.addErrback((failure) => {
    failure.trap(TimeoutError);
    console.log(`No mail after ${deadline} s, giving up`);
    throw new SystemExit(1);
  });

  await react(() => d);
}
