/**
 * Chapter 5, section 3: waiting for mail without blocking. `waitForMail`
 * looks for a file named `mail` and, if there is none yet, asks the reactor
 * to call it again in a second (`callLater(1, ...)`) instead of sleeping;
 * it returns a Deferred at once, which fires with the letter's lines when
 * the file appears. A timeout on that Deferred gives up after a deadline.
 *
 *     deno task part5:mail-poll
 *     deno task part5:mail-poll --deliver-after 20 --deadline 3
 *
 * Nothing else needs to run: the script's own postman delivers the letter
 * (`--deliver-after`) into a mailbox the script makes and removes.
 *
 * @module
 */

import { Deferred } from "../lib/defer/deferred.ts";
import { TimeoutError } from "../lib/defer/error.ts";
import type { IDelayedCall, IReactorTime } from "../lib/interfaces.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { react, SystemExit } from "../lib/reactor/task.ts";
import { collectMail, mailSpec, openMailbox, parseMailCommandLine } from "./_mailbox.ts";

/**
 * A Deferred that fires with the lines of the letter at `path` once there
 * is one, looking once a second on `clock`. Cancelling it (as a timeout
 * does) stops the looking.
 */
export function waitForMail(path: string, clock: IReactorTime = reactor): Deferred<string[]> {
  let nextLook: IDelayedCall | undefined;
  const d = new Deferred<string[]>(() => nextLook?.cancel());
  const look = (): void => {
    const mail = collectMail(path);
    // No letter yet: instead of waiting here, come back in a second.
    if (mail === null) nextLook = clock.callLater(1, look);
    else d.callback(mail);
  };
  look();
  return d;
}

if (import.meta.main) {
  const spec = mailSpec(
    "part5:mail-poll",
    "Waits for a letter by looking for a file named mail once a second, on the reactor.",
  );
  const { deliverAfter, deadline, letter } = parseMailCommandLine(spec);
  const mailbox = await openMailbox();
  const started = reactor.seconds();
  const at = (): string => `${(reactor.seconds() - started).toFixed(1)} s`;

  console.log(`Waiting for mail in ${mailbox.dir}, looking once a second`);
  reactor.callLater(deliverAfter, () => {
    mailbox.deliver(letter);
    console.log(`${at()}: the postman delivers a letter`);
  });
  await react(() =>
    waitForMail(mailbox.path)
      .addTimeout(deadline, reactor)
      .addCallbacks(
        (mail) => {
          console.log(`${at()}: got mail:`);
          for (const line of mail) console.log(line);
        },
        (failure) => {
          failure.trap(TimeoutError);
          console.log(`${at()}: no mail after ${deadline} s, giving up`);
          throw new SystemExit(1);
        },
      )
  );
}
