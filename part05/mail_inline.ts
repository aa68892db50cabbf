/**
 * Chapter 5, section 3: the mail, read with code that looks sequential.
 * `deferredSleep` is `deferLater`: a Deferred that fires after a while,
 * without blocking. `waitForMail` is a loop written as an `inlineCallbacks`
 * generator: each `yield` hands a Deferred to the reactor and resumes when
 * it fires, and `return` plays Twisted's `returnValue`. `checkMail` yields
 * it, and prints `got mail` and the letter, as the essay's `check_mail`. Then the same two functions with `async`/`await`, the form the
 * generator version taught JavaScript. The postman comes once for each.
 *
 *     deno task part5:mail-inline
 *
 * Nothing else needs to run: the postman is built in (`--deliver-after`).
 *
 * @module
 */

import type { Deferred } from "../lib/defer/deferred.ts";
import { TimeoutError } from "../lib/defer/error.ts";
import { ensureDeferred, inlineCallbacks } from "../lib/defer/inline_callbacks.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { deferLater, react, SystemExit } from "../lib/reactor/task.ts";
import { collectMail, mailSpec, openMailbox, parseMailCommandLine } from "./_mailbox.ts";

/** The essay's `deferredSleep`: fires after `seconds`, and nothing waits meanwhile. */
export function deferredSleep(seconds: number): Deferred<undefined> {
  return deferLater(reactor, seconds);
}

/** Looks for the letter once a second; each `yield` lets the reactor run meanwhile. */
export const waitForMail = inlineCallbacks(function* (path: string): Generator<unknown, string[]> {
  for (;;) {
    const mail = collectMail(path);
    if (mail !== null) return mail; // Twisted: returnValue(mail)
    yield deferredSleep(1);
  }
});

/** Waits for the letter and prints it, as the essay's `check_mail`. */
export const checkMail = inlineCallbacks(function* (path: string): Generator<unknown, void> {
  const mail: string[] = yield waitForMail(path);
  console.log("got mail");
  gotMail(mail, path);
});

/** Prints the letter and takes it out of the mailbox, so the next check waits for a new one. */
function gotMail(mail: string[], path: string): void {
  for (const line of mail) console.log(line);
  Deno.removeSync(path);
}

/** {@linkcode waitForMail} with async/await: `await` where the generator says `yield`. */
export async function waitForMailAsync(path: string): Promise<string[]> {
  for (;;) {
    const mail = collectMail(path);
    if (mail !== null) return mail;
    await deferredSleep(1);
  }
}

/** {@linkcode checkMail} with async/await. */
export async function checkMailAsync(path: string): Promise<void> {
  const mail = await waitForMailAsync(path);
  console.log("got mail");
  gotMail(mail, path);
}

if (import.meta.main) {
  const spec = mailSpec(
    "part5:mail-inline",
    "Waits for a letter and prints it, twice: written with inlineCallbacks,\n" +
      "then with async/await.",
  );
  const { deliverAfter, deadline, letter } = parseMailCommandLine(spec);
  const mailbox = await openMailbox();

  const both = inlineCallbacks(function* (): Generator<unknown, void> {
    console.log("checkMail, with inlineCallbacks:");
    reactor.callLater(deliverAfter, () => mailbox.deliver(letter));
    yield checkMail(mailbox.path);
    console.log("checkMail, with async/await:");
    reactor.callLater(deliverAfter, () => mailbox.deliver(letter));
    yield ensureDeferred(checkMailAsync(mailbox.path));
  });
  await react(() =>
    both()
      .addTimeout(deadline, reactor)
      .addErrback((failure) => {
        failure.trap(TimeoutError);
        console.log(`No mail after ${deadline} s, giving up`);
        throw new SystemExit(1);
      })
  );
}
