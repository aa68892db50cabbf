/**
 * The heartbeat of the section 4 scripts: a `LoopingCall` every 0.05 s on
 * the reactor, and how late it was at worst while some work ran. A beat
 * that comes late is the reactor's thread telling us it was busy.
 *
 * @module
 */

import { deferLater, LoopingCall } from "../lib/reactor/task.ts";
import { reactor } from "../lib/reactor/reactor.ts";

/** Seconds between two beats. */
export const INTERVAL = 0.05;

/** What {@linkcode Heartbeat.measure} saw: the work's result, how long it took, how late the beat was. */
export interface Measured<T> {
  /** What the work returned. */
  result: T;
  /** How long the work took, in milliseconds. */
  ms: number;
  /** The longest gap between two beats beyond {@linkcode INTERVAL}, in milliseconds. */
  late: number;
}

/** A beat every {@linkcode INTERVAL} seconds on the global reactor, and its worst lateness. */
export class Heartbeat {
  #lastBeat = 0;
  #worst = 0;
  readonly #loop = new LoopingCall(() => {
    const now = reactor.seconds();
    if (this.#lastBeat > 0) this.#worst = Math.max(this.#worst, now - this.#lastBeat - INTERVAL);
    this.#lastBeat = now;
  });

  /** Starts beating, and resolves after a couple of beats. */
  async start(): Promise<void> {
    this.#loop.start(INTERVAL);
    await deferLater(reactor, 2 * INTERVAL);
  }

  /** Stops beating. */
  stop(): void {
    this.#loop.stop();
  }

  /** Runs `work` between beats; resolves once the beat after it has measured the gap it left. */
  async measure<T>(work: () => T | PromiseLike<T>): Promise<Measured<T>> {
    this.#worst = 0;
    const start = performance.now();
    const result = await work();
    const ms = performance.now() - start;
    await deferLater(reactor, 2 * INTERVAL);
    return { result, ms, late: this.#worst * 1000 };
  }
}

/** The line the scripts print for a measured count: `Inline: 216816 primes below 3000000 in ...`. */
export function primesLine(
  how: string,
  limit: number,
  { result, ms, late }: Measured<number>,
): string {
  return `${how}: ${result} primes below ${limit} in ${ms.toFixed(1)} ms; ` +
    `the heartbeat was ${late.toFixed(1)} ms late at worst`;
}
