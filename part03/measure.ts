/**
 * Chapter 3: how idle is an idle reactor, and how punctual is callLater?
 * First the reactor runs with one far-off timer and nothing else to do, and
 * we read the CPU time the whole process used meanwhile (all its threads); then it runs a series of
 * callLater(0.05) calls and we see how late each one fired.
 *
 *     deno task part3:measure [--idle SECONDS] [--calls N] [--delay SECONDS]
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { EPollReactor } from "../lib/epoll_reactor.ts";

const usage = "usage: deno task part3:measure [--idle SECONDS] [--calls N] [--delay SECONDS]";

function positive(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    console.error(
      `part3:measure: --${name} must be a positive number, got ${JSON.stringify(text)}`,
    );
    console.error(usage);
    Deno.exit(2);
  }
  return value;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      idle: { type: "string", default: "3" },
      calls: { type: "string", default: "50" },
      delay: { type: "string", default: "0.05" },
      help: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  // parseArgs explains some errors over several lines; the first says it.
  console.error(`part3:measure: ${(error as Error).message.split("\n")[0]}`);
  console.error(usage);
  Deno.exit(2);
}
if (values.help) {
  console.log(usage);
  Deno.exit(0);
}
const idleSeconds = positive("idle", values.idle);
const calls = Math.round(positive("calls", values.calls));
const delay = positive("delay", values.delay);

// Idle: a running reactor with one timer far away and nothing else to do.
// The first second after start-up is reported apart: V8 is still finishing
// its own start-up work (compiling, collecting) then, not the reactor.
const settleSeconds = 1;
const idle = new EPollReactor();
const windows: number[] = [];
let before = process.cpuUsage();
function closeWindow(): void {
  const used = process.cpuUsage(before);
  windows.push((used.user + used.system) / 1000);
  before = process.cpuUsage();
}
idle.callWhenRunning(() => {
  before = process.cpuUsage();
  idle.callLater(settleSeconds, closeWindow);
  idle.callLater(settleSeconds + idleSeconds, () => {
    closeWindow();
    idle.stop();
  });
});
await idle.run();
console.log(
  `Settling for ${settleSeconds} s after start-up: ${windows[0].toFixed(2)} ms of CPU time`,
);
console.log(`Idle for ${idleSeconds} s: ${windows[1].toFixed(2)} ms of CPU time`);

// Punctuality: each call measures how late it is, then schedules the next.
const punctual = new EPollReactor();
const lateness: number[] = [];
function tick(scheduledFor: number): void {
  lateness.push((punctual.seconds() - scheduledFor) * 1000);
  if (lateness.length === calls) punctual.stop();
  else punctual.callLater(delay, tick, punctual.seconds() + delay);
}
punctual.callLater(delay, tick, punctual.seconds() + delay);
await punctual.run();
lateness.sort((a, b) => a - b);
const median = lateness[Math.floor(lateness.length / 2)];
console.log(
  `callLater(${delay}) x ${calls}: late by ${median.toFixed(3)} ms (median), ` +
    `${lateness[0].toFixed(3)} ms (min), ${lateness.at(-1)?.toFixed(3)} ms (max)`,
);
