/**
 * Test helpers for the mail scripts: the mailbox a run announced or left,
 * and a check that no mailbox of the run is left behind.
 *
 * @module
 */

import { assert } from "../lib/testing/asserts.ts";
import { MAIL_ROOT } from "./_mailbox.ts";

/** The names in {@linkcode MAIL_ROOT} now (none if it does not exist yet). */
export function mailboxes(): Set<string> {
  try {
    return new Set([...Deno.readDirSync(MAIL_ROOT)].map((entry) => entry.name));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return new Set();
    throw error;
  }
}

/**
 * Runs `run` and asserts it left no new mailbox behind. Other runs (other
 * tests, on a shared machine other checkouts) make and remove mailboxes
 * meanwhile: a new mailbox still there may be theirs, so it counts only if
 * it is still there five seconds later, when ours, whose process has
 * ended, would be there for good.
 */
export async function leavesNoMailbox<T>(run: () => Promise<T>): Promise<T> {
  const before = mailboxes();
  const result = await run();
  let left = [...mailboxes()].filter((name) => !before.has(name));
  for (let wait = 0; left.length > 0 && wait < 50; wait++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = mailboxes();
    left = left.filter((name) => now.has(name));
  }
  assert(left.length === 0, `mailboxes left behind: ${left.join(", ")}`);
  return result;
}
