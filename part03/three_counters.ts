/**
 * Chapter 3, exercise 1: three independent countdowns at different rates,
 * all on one reactor in one thread. Each counter reports when it is done;
 * the last one to finish stops the reactor.
 *
 *     deno task part3:three-counters
 */

import { reactor } from "../lib/reactor/reactor.ts";

class Counter {
  constructor(
    readonly name: string,
    private counter: number,
    readonly interval: number,
    private readonly onDone: () => void,
  ) {}

  count(): void {
    if (this.counter === 0) {
      console.log(`${this.name}: done`);
      this.onDone();
      return;
    }
    console.log(`${this.name}: ${this.counter} ...`);
    this.counter -= 1;
    reactor.callLater(this.interval, () => this.count());
  }
}

let running = 0;
function counterDone(): void {
  running -= 1;
  if (running === 0) reactor.stop();
}

const counters = [
  new Counter("fast", 6, 0.25, counterDone),
  new Counter("medium", 4, 0.5, counterDone),
  new Counter("slow", 3, 1, counterDone),
];
for (const counter of counters) {
  running += 1;
  reactor.callWhenRunning(() => counter.count());
}

console.log("Start!");
await reactor.run();
console.log("Stop!");
