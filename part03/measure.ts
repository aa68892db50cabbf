/**
 * Chapter 3: how idle is an idle reactor, and how punctual is callLater?
 * First the reactor runs with one far-off timer and nothing else to do, and
 * we read the CPU time the whole process used meanwhile (all its threads); then it runs a series of
 * callLater(0.05) calls and we see how late each one fired.
 *
 *     deno task part3:measure [--idle SECONDS] [--calls N] [--delay SECONDS]
 */

import process from "node:process";
import {
  checked,
  type CommandSpec,
  parseCommandLine,
  parseCount,
  parseSeconds,
} from "../lib/cli/mod.ts";
import { EPollReactor } from "../lib/reactor/epoll_reactor.ts";

const spec: CommandSpec = {
  task: "part3:measure",
  args: "",
  description: "Measures the CPU time of an idle running reactor, then how late callLater fires.",
  options: {
    idle: { type: "string", value: "SECONDS", help: "how long to stay idle (default 3)" },
    calls: { type: "string", value: "N", help: "how many callLater calls to time (default 50)" },
    delay: { type: "string", value: "SECONDS", help: "the delay of each call (default 0.05)" },
  },
};
const { values } = parseCommandLine(spec);
const idleSeconds = checked(spec, () => parseSeconds(String(values.idle ?? "3"), "--idle"));
const calls = checked(spec, () => parseCount(String(values.calls ?? "50"), "--calls"));
const delay = checked(spec, () => parseSeconds(String(values.delay ?? "0.05"), "--delay"));

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
