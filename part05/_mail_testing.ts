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
 * Runs `run` and asserts it left no new mailbox behind. Other runs may
 * make and remove mailboxes meanwhile, so it only looks for a new one
 * that is still there.
 */
export async function leavesNoMailbox<T>(run: () => Promise<T>): Promise<T> {
  const before = mailboxes();
  const result = await run();
  const left = [...mailboxes()].filter((name) => !before.has(name));
  assert(left.length === 0, `mailboxes left behind: ${left.join(", ")}`);
  return result;
}
