/**
 * Reads a reactor's trace back ({@linkcode parseTrace}): the lines that
 * `REACTOR_TRACE=1` (text) or `REACTOR_TRACE=json` makes the loop write
 * (see `trace.ts`), as turns and calls that a chart can be drawn from.
 *
 * @module
 */

import type { TraceRecord } from "./trace_events.ts";

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
 * Reads back the turns of a trace from `text`, in either form, which may
 * hold other lines too (a script's output): those are skipped. A JSON
 * turn gives the same turn as its text line, without its events.
 */
export function parseTrace(text: string): TracedTurn[] {
  const turns: TracedTurn[] = [];
  for (const line of text.split("\n")) {
    const record = parseTraceRecord(line);
    if (record !== null) {
      if ("calls" in record) {
        const { turn, at, waited, woke, calls } = record;
        turns.push({ turn, at, waited, woke, calls });
      }
      continue;
    }
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

/**
 * One line of the JSON form (see `trace_events.ts`), or null if `line` is
 * something else: a text trace line, or a script's own output.
 */
export function parseTraceRecord(line: string): TraceRecord | null {
  if (!line.startsWith("{")) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const fields = value as Record<string, unknown>;
  const known = (typeof fields.turn === "number" && Array.isArray(fields.calls)) ||
    (typeof fields.turn === "number" && typeof fields.woke === "string") ||
    typeof fields.reactor === "string" || typeof fields.shutdown === "number";
  return known ? value as TraceRecord : null;
}

function parseCall(text: string): TracedCall {
  const match = CALL.exec(text);
  if (match === null) return { label: text, seconds: 0, through: [] };
  return { label: match[1], seconds: seconds(match[2], match[3]), through: [] };
}

function seconds(value: string, unit: string): number {
  return unit === "s" ? Number(value) : Number(value) / 1000;
}
