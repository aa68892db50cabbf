/**
 * Chapter 3: a countdown with callLater. Each call prints a number and asks
 * the reactor to call it again one second later; at zero it stops the
 * reactor, `run()` resolves, and the line after it prints "Stop!".
 *
 *     deno task part3:countdown
 */

import { reactor } from "../lib/reactor/reactor.ts";

class Countdown {
  counter = 5;

  count(): void {
    if (this.counter === 0) {
      reactor.stop();
    } else {
      console.log(this.counter, "...");
      this.counter -= 1;
      reactor.callLater(1, () => this.count());
    }
  }
}

const countdown = new Countdown();
reactor.callWhenRunning(() => countdown.count());

console.log("Start!");
await reactor.run();
console.log("Stop!");
