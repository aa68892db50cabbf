/**
 * Chapter 5, section 4: a file shared by two threads, written safely. A
 * Worker reads a large file whole, over and over, while the main thread
 * rewrites it: first in place (`Deno.writeFileSync`, which truncates the
 * file and then writes it), then by rename (write a temporary file beside
 * it, then `Deno.renameSync` it over the old one). The Worker counts the
 * torn reads, short or mixing two versions. In place, a reader can land
 * between the truncation and the end of the write; a rename replaces the
 * name in one step, so a reader opens the old file or the new one, whole.
 * The interview's "certain filesystem operations are atomic".
 *
 *     deno task part5:atomic-write [--size BYTES] [--rewrites N]
 *
 * Nothing else needs to be running. It writes only in a directory it makes,
 * and removes, in /tmp/twisted-intro-mail.
 *
 * @module
 */

import { checked, type CommandSpec, parseCommandLine, parseCount } from "../lib/cli/mod.ts";
import { deferLater, react } from "../lib/reactor/task.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { deferToThread } from "../lib/threads/threads.ts";
import { openMailbox } from "./_mailbox.ts";
import type { Reads } from "./_thread_work.ts";

const spec: CommandSpec = {
  task: "part5:atomic-write",
  args: "",
  description:
    "A Worker reads a file while the main thread rewrites it, in place then by rename,\n" +
    "and counts the torn reads.",
  options: {
    size: { type: "string", value: "BYTES", help: "the file's size (default 1048576)" },
    rewrites: { type: "string", value: "N", help: "how many rewrites each way (default 200)" },
  },
};
const { values } = parseCommandLine(spec);
const size = checked(spec, () => parseCount(String(values.size ?? "1048576"), "--size", 2));
const rewrites = checked(spec, () => parseCount(String(values.rewrites ?? "200"), "--rewrites"));

/** Rewrites the file `rewrites` times, each version one byte repeated, while a Worker reads it. */
async function race(path: string, rewrite: (data: Uint8Array) => void): Promise<Reads> {
  const versions = [new Uint8Array(size).fill(65), new Uint8Array(size).fill(66)];
  Deno.writeFileSync(path, versions[0]);
  const started = new SharedArrayBuffer(4);
  const stop = new SharedArrayBuffer(4);
  const module = new URL("./_thread_work.ts", import.meta.url);
  const reads = deferToThread<Reads>(module, "readUntilStopped", path, size, started, stop);
  // Rewrite only once the reader is reading.
  while (Atomics.load(new Int32Array(started), 0) === 0) await deferLater(reactor, 0.01);
  for (let i = 1; i <= rewrites; i++) rewrite(versions[i % 2]);
  Atomics.store(new Int32Array(stop), 0, 1);
  return await reads;
}

function report(how: string, { reads, torn }: Reads): void {
  console.log(`${how}: ${reads} reads, ${torn === 0 ? "none" : torn} torn`);
}

const mailbox = await openMailbox();
const path = `${mailbox.dir}/shared`;
await react(async () => {
  console.log(
    `A Worker reads a ${size}-byte file whole, over and over, while the main thread ` +
      `rewrites it ${rewrites} times.`,
  );
  report(
    "In place, Deno.writeFileSync",
    await race(path, (data) => Deno.writeFileSync(path, data)),
  );
  report(
    "By rename, a temporary file then Deno.renameSync",
    await race(path, (data) => {
      Deno.writeFileSync(`${path}.new`, data);
      Deno.renameSync(`${path}.new`, path);
    }),
  );
});
await mailbox.remove();
