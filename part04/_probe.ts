/**
 * Test helper for chapter 4: runs one of the chapter's PoetrySocket classes
 * against the given ports, with a heartbeat timer due 0.1 s after the start,
 * and reports how late the heartbeat fired and how many other delayed calls
 * were still pending when the reactor stopped. A blocking doRead makes the
 * heartbeat late; a timer nobody cancelled stays pending.
 *
 *     deno run --allow-net=127.0.0.1 --allow-read=lib part04/_probe.ts plain|broken|timeout PORT...
 */

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

const due = reactor.seconds() + 0.1;
let firedAt: number | undefined;
const heartbeat = reactor.callLater(0.1, () => firedAt = reactor.seconds());
ports.forEach((port, index) => open(index + 1, Number(port)));
await reactor.run();
// A heartbeat that never got its turn before the reactor stopped is late by
// at least the time since it was due.
const late = (firedAt ?? reactor.seconds()) - due;
if (heartbeat.active()) heartbeat.cancel();
console.log(`heartbeat late by ${late.toFixed(3)} s`);
console.log(`pending delayed calls: ${reactor.getDelayedCalls().length}`);
