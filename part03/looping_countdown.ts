/**
 * Chapter 3, exercise 2: the countdown rewritten with LoopingCall. The
 * LoopingCall does the rescheduling that countdown.ts did by hand with
 * callLater; `start` returns a Deferred that fires once `stop()` is called,
 * and that is when we stop the reactor.
 *
 *     deno task part3:looping-countdown
 */

import { reactor } from "../lib/reactor/reactor.ts";
import { LoopingCall } from "../lib/reactor/task.ts";

let counter = 5;

function count(): void {
  if (counter === 0) {
    loop.stop();
  } else {
    console.log(counter, "...");
    counter -= 1;
  }
}

const loop = new LoopingCall(count);
reactor.callWhenRunning(() => {
  loop.start(1).addCallback(() => reactor.stop());
});

console.log("Start!");
await reactor.run();
console.log("Stop!");
