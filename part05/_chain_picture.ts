/**
 * Pictures of a Deferred's chain drawn from a real run: each link a row,
 * its callback on the left and its errback on the right, and the one that
 * ran marked `▶` with the value it got and what it gave back, so the path
 * a result took down the chain can be read off (the tutorial's figures of
 * the callback and errback chains, and its `deferred-simulator.py`).
 *
 * The recorded functions are added with the Deferred's own
 * `addCallbacks`; a missing side is a pass-through, as in Twisted, where
 * `addCallback(f)` is `addCallbacks(f, passthru)`.
 *
 * @module
 */

import { Deferred } from "../lib/defer/deferred.ts";
import { Failure } from "../lib/defer/failure.ts";

/** A callback or errback for the picture: its name, and the function. */
// deno-lint-ignore no-explicit-any
export type Named = [name: string, fn: (value: any) => unknown];

/** One side of a link, and what happened when it ran. */
interface Side {
  name: string | undefined;
  ran?: { input: unknown; output: unknown };
}

/** Records the links it adds to Deferreds, and draws them. */
export class ChainPicture {
  readonly #rows: [Side, Side][] = [];

  /**
   * Adds a callback/errback pair to `d`, at the same level of its chain;
   * a side left out passes the result on unchanged.
   *
   * @returns `d`, for adding the next pair
   */
  add(d: Deferred<unknown>, callback?: Named, errback?: Named): Deferred<unknown> {
    const sides: [Side, Side] = [{ name: callback?.[0] }, { name: errback?.[0] }];
    this.#rows.push(sides);
    return d.addCallbacks(
      record(sides[0], callback?.[1] ?? ((value: unknown) => value)),
      record(sides[1], errback?.[1] ?? ((failure: Failure) => failure)),
    );
  }

  /** The picture: a header, then one line per link, in chain order. */
  render(): string {
    const cells = this.#rows.map(([callback, errback]) => [cell(callback), cell(errback)]);
    const width = Math.max("callbacks".length, ...cells.map(([left]) => left.length)) + 3;
    const lines = [`     ${"callbacks".padEnd(width)}errbacks`];
    for (const [index, [left, right]] of cells.entries()) {
      lines.push(`${String(index + 1).padStart(3)}  ${left.padEnd(width)}${right}`.trimEnd());
    }
    return lines.join("\n");
  }
}

function record(side: Side, fn: (value: never) => unknown): (value: unknown) => unknown {
  return (input: unknown): unknown => {
    try {
      const output = fn(input as never);
      side.ran = { input, output };
      return output;
    } catch (error) {
      side.ran = { input, output: new Failure(error) };
      throw error;
    }
  };
}

function cell({ name, ran }: Side): string {
  if (ran === undefined) return `  ${name ?? "-"}`;
  if (name === undefined) return `▶ ${describe(ran.input)} passes on`;
  return `▶ ${name}(${describe(ran.input)}) → ${describe(ran.output)}`;
}

/** A value as the picture shows it: short, and saying what kind of result it is. */
export function describe(value: unknown): string {
  if (value instanceof Failure) return `Failure(${value.value.name})`;
  if (value instanceof Deferred) return "a Deferred: the chain waits for it";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
