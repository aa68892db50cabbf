import process from "node:process";
import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { sleep } from "./sleep.ts";

Deno.test("sleep() blocks the thread for the time asked, without firing timers or spinning", async () => {
  let fired = false;
  const timer = setTimeout(() => fired = true, 0);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  sleep(0.2);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  assert(wallMs >= 200, `slept only ${wallMs} ms`);
  assertEquals(fired, false, "a timer cannot fire while the thread sleeps");
  assert(cpuMs < wallMs * 0.25, `${cpuMs} ms of CPU in ${wallMs} ms: that is spinning`);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assertEquals(fired, true);
  clearTimeout(timer);
});

Deno.test("sleep() rejects negative and non-finite durations", () => {
  assertThrows(() => sleep(-1), RangeError, "0 or more");
  assertThrows(() => sleep(NaN), RangeError);
  assertThrows(() => sleep(Infinity), RangeError);
  sleep(0);
});
