/**
 * Reads a reactor's trace back ({@linkcode parseTrace}): the lines that
 * `REACTOR_TRACE=1` makes the loop write (see `trace.ts`), as turns and
 * calls that a chart can be drawn from.
 *
 * @module
 */

/** A call read back from a trace line. */
export interface TracedCall {
  /** What was called: a function's name, or `doRead poetry fd 12`. */
  label: string;
  /** How long it took, in seconds. */
  seconds: number;
  /** The calls made through it (for a `doRead`, the protocol's `dataReceived`). */
  through: TracedCall[];
}

/** A turn read back from a trace line. */
export interface TracedTurn {
  /** The turn's number, from 1. */
  turn: number;
  /** When it began (its wait began), in seconds since the loop started. */
  at: number;
  /** How long the loop waited, in seconds. */
  waited: number;
  /** What ended the wait: `start`, `timer due`, `descriptors ready`, `wake-up (…)`. */
  woke: string;
  /** The calls the loop made in this turn, in order. */
  calls: TracedCall[];
}

const TURN_LINE = /^reactor turn (\d+) at (\d+\.\d+) s \| waited (\d+\.\d+) (ms|s) \| (.*)$/;
const CALL = /^(.*) (\d+\.\d+) (ms|s)$/;

/**
 * Reads back the turns of a trace from `text`, which may hold other lines
 * too (a script's output): those are skipped.
 */
export function parseTrace(text: string): TracedTurn[] {
  const turns: TracedTurn[] = [];
  for (const line of text.split("\n")) {
    const match = TURN_LINE.exec(line.trimEnd());
    if (match === null) continue;
    const [woke, ...entries] = match[5].split(" | ");
    const calls = entries.map((entry) => {
      const [call, ...through] = entry.split(" → ").map(parseCall);
      return { ...call, through };
    });
    turns.push({
      turn: Number(match[1]),
      at: Number(match[2]),
      waited: seconds(match[3], match[4]),
      woke,
      calls,
    });
  }
  return turns;
}

function parseCall(text: string): TracedCall {
  const match = CALL.exec(text);
  if (match === null) return { label: text, seconds: 0, through: [] };
  return { label: match[1], seconds: seconds(match[2], match[3]), through: [] };
}

function seconds(value: string, unit: string): number {
  return unit === "s" ? Number(value) : Number(value) / 1000;
}
