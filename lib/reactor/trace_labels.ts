/**
 * How the reactor's trace names what the loop calls ({@linkcode callableName},
 * {@linkcode dispatchLabel}) and how it writes a duration
 * ({@linkcode formatMs}), in both its forms.
 *
 * @module
 */

import type { Callable } from "../interfaces.ts";
import type { TracedDescriptor } from "./trace_events.ts";

/**
 * How a dispatch of `selectable` is named: the method the readiness calls
 * for (`connectionLost` when the wait reported a hang-up or a closed
 * descriptor), its `logPrefix()` and its fileno.
 */
export function dispatchLabel(
  selectable: TracedDescriptor,
  readiness: { readable: boolean; writable: boolean; hangup: boolean },
): string {
  const fd = selectable.fileno();
  const method = fd === -1 || (readiness.hangup && !readiness.readable)
    ? "connectionLost"
    : readiness.readable && readiness.writable
    ? "doRead/doWrite"
    : readiness.readable
    ? "doRead"
    : "doWrite";
  return `${method} ${selectable.logPrefix()} fd ${fd}`;
}

/**
 * A function's name for the trace: its name, or for an anonymous one its
 * source on one line, shortened (`() => this.count()`).
 */
export function callableName(callable: Callable): string {
  if (callable.name !== "") return cleanLabel(callable.name);
  // Deno's TypeScript compiler emits arrows as `()=>f()`; space them as written.
  return cleanLabel(Function.prototype.toString.call(callable).replace(/\s*=>\s*/g, " => "));
}

/** A duration as the trace writes it: `0.094 ms`, `98.7 ms`, `1.001 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(3)} s`;
  return `${ms.toFixed(ms < 1 ? 3 : 1)} ms`;
}

const LABEL_LENGTH = 48;

/** One line, no field separators, not too long. */
function cleanLabel(text: string): string {
  const line = text.replace(/\s+/g, " ").replaceAll("|", "¦").replaceAll("→", "->").trim();
  return line.length > LABEL_LENGTH ? `${line.slice(0, LABEL_LENGTH - 1)}…` : line;
}
