/**
 * Test helper for chapter 4: runs one of the chapter's PoetrySocket classes
 * against the given ports, with a heartbeat timer scheduled at the start of
 * the first doRead and due 0.1 s later, so it is due while reading is known
 * to be under way. It reports how late the heartbeat fired, whether it fired
 * before the last doRead ended, and how many other delayed calls were still
 * pending when the reactor stopped. A blocking doRead holds the heartbeat
 * until the read is over; a timer nobody cancelled stays pending.
 *
 *     deno run --allow-net=127.0.0.1 --allow-read=lib part04/_probe.ts plain|broken|timeout PORT...
 */

import type { IDelayedCall } from "../lib/interfaces.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { PoetrySocket } from "./get_poetry.ts";
import { BrokenPoetrySocket } from "./get_poetry_broken.ts";
import { TimeoutPoetrySocket } from "./get_poetry_timeout.ts";

const [kind, ...ports] = Deno.args;
const open = {
  plain: (taskNum: number, port: number) => new PoetrySocket(taskNum, { host: "127.0.0.1", port }),
  broken: (taskNum: number, port: number) =>
    new BrokenPoetrySocket(taskNum, { host: "127.0.0.1", port }),
  timeout: (taskNum: number, port: number) =>
    new TimeoutPoetrySocket(taskNum, { host: "127.0.0.1", port }, 60),
}[kind as "plain" | "broken" | "timeout"];

let heartbeat: IDelayedCall | undefined;
let due = 0;
let firedAt: number | undefined;
let lastReadEnd = 0;
for (const [index, port] of ports.entries()) {
  const sock = open(index + 1, Number(port));
  const doRead = sock.doRead.bind(sock);
  sock.doRead = () => {
    if (heartbeat === undefined) {
      due = reactor.seconds() + 0.1;
      heartbeat = reactor.callLater(0.1, () => firedAt = reactor.seconds());
    }
    try {
      return doRead();
    } finally {
      lastReadEnd = reactor.seconds();
    }
  };
}
await reactor.run();
// A heartbeat that never got its turn before the reactor stopped is late by
// at least the time since it was due.
const late = (firedAt ?? reactor.seconds()) - due;
const during = firedAt !== undefined && firedAt < lastReadEnd;
if (heartbeat?.active()) heartbeat.cancel();
console.log(`heartbeat late by ${late.toFixed(3)} s`);
console.log(`heartbeat fired ${during ? "before" : "after"} the last read ended`);
console.log(`pending delayed calls: ${reactor.getDelayedCalls().length}`);
