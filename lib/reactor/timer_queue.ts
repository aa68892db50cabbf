/**
 * {@linkcode TimerQueue}: the pending delayed calls of one clock, kept in a
 * binary heap ordered by time, then by scheduling order.
 *
 * Scheduling, cancelling and moving a call cost O(log n); finding the next
 * one costs O(1). Both the reactors and the fake {@linkcode Clock} keep
 * their calls here, so they order calls the same way.
 *
 * @module
 */

import { checkDelay, DelayedCall } from "./delayed_call.ts";
import type { Callable } from "../interfaces.ts";

/** A call as the heap holds it: where it sits, and when it was scheduled. */
class QueuedCall extends DelayedCall {
  /** Scheduling order: breaks ties so equal times run first-in, first-out. */
  seq = 0;
  /** Position in the heap array; -1 once removed. */
  index = -1;
  /** The time the heap is ordered by, kept in step with getTime(). */
  time = 0;
}

/**
 * Told of each change to the queue, as the reactor's trace is; the queue
 * holds null when nobody listens, and then each change costs a null check.
 */
export interface TimerObserver {
  /** `call` was scheduled, `delay` seconds from now. */
  scheduled(call: DelayedCall, delay: number): void;
  /** `call` was moved and is now due `delay` seconds from now. */
  moved(call: DelayedCall, delay: number): void;
  /** `call` was cancelled. */
  cancelled(call: DelayedCall): void;
}

/** The pending calls of one clock, in a binary heap. */
export class TimerQueue {
  readonly #heap: QueuedCall[] = [];
  readonly #cancelCall = (call: DelayedCall): void => {
    this.#observer?.cancelled(call);
    this.#remove(call as QueuedCall);
  };
  readonly #moveCall = (call: DelayedCall): void => this.#move(call as QueuedCall);
  readonly #seconds: () => number;
  readonly #onSooner: () => void;
  readonly #observer: TimerObserver | null;
  #nextSeq = 0;

  /**
   * Creates an empty queue.
   *
   * @param seconds the clock that `callLater` delays are measured from
   * @param onSooner told after a call is scheduled or moved, so a loop that
   *   sleeps until the next call can wake up if that call is now sooner
   * @param observer told of every call scheduled, moved or cancelled
   */
  constructor(
    seconds: () => number,
    onSooner: () => void = () => {},
    observer: TimerObserver | null = null,
  ) {
    this.#seconds = seconds;
    this.#onSooner = onSooner;
    this.#observer = observer;
  }

  /** How many calls are pending. */
  get size(): number {
    return this.#heap.length;
  }

  /**
   * The sequence number the next scheduled call will get. A loop reads it
   * before running due calls so that calls scheduled meanwhile wait for a
   * later turn (see {@linkcode TimerQueue.popDue}).
   */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /**
   * Schedules `callable(...args)` `delay` seconds from now.
   *
   * @throws {RangeError} if `delay` is negative or not finite
   */
  callLater(delay: number, callable: Callable, args: unknown[]): DelayedCall {
    checkDelay(delay, "schedule");
    if (typeof callable !== "function") {
      throw new TypeError(`Cannot schedule call: expected a function, got ${typeof callable}`);
    }
    const call = new QueuedCall(
      this.#seconds() + delay,
      callable,
      args,
      this.#cancelCall,
      this.#moveCall,
      this.#seconds,
    );
    call.time = call.getTime();
    call.seq = this.#nextSeq++;
    call.index = this.#heap.length;
    this.#heap.push(call);
    this.#siftUp(call.index);
    this.#observer?.scheduled(call, delay);
    this.#onSooner();
    return call;
  }

  /** The time of the soonest pending call, or undefined if there is none. */
  nextTime(): number | undefined {
    return this.#heap[0]?.time;
  }

  /**
   * Removes and returns the soonest call if it is due at `now`, marking
   * nothing: the caller runs it with {@linkcode DelayedCall.run}.
   *
   * @param now the current time
   * @param beforeSeq only calls scheduled before this sequence number count as due
   */
  popDue(now: number, beforeSeq = Infinity): DelayedCall | undefined {
    const top = this.#heap[0];
    if (top === undefined || top.time > now || top.seq >= beforeSeq) return undefined;
    this.#removeAt(0);
    return top;
  }

  /** The pending calls, soonest first. */
  getDelayedCalls(): DelayedCall[] {
    return [...this.#heap].sort((a, b) => a.time - b.time || a.seq - b.seq);
  }

  #remove(call: QueuedCall): void {
    if (this.#heap[call.index] === call) this.#removeAt(call.index);
  }

  #move(call: QueuedCall): void {
    const earlier = call.getTime() < call.time;
    call.time = call.getTime();
    if (earlier) this.#siftUp(call.index);
    else this.#siftDown(call.index);
    this.#observer?.moved(call, call.time - this.#seconds());
    this.#onSooner();
  }

  #removeAt(index: number): void {
    const heap = this.#heap;
    const last = heap.pop() as QueuedCall;
    const removed = heap[index] ?? last;
    removed.index = -1;
    if (index === heap.length) return;
    heap[index] = last;
    last.index = index;
    if (before(last, removed)) this.#siftUp(index);
    else this.#siftDown(index);
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const call = heap[index];
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (!before(call, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = call;
    call.index = index;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const call = heap[index];
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], call)) break;
      heap[index] = heap[child];
      heap[index].index = index;
      index = child;
    }
    heap[index] = call;
    call.index = index;
  }
}

function before(a: QueuedCall, b: QueuedCall): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
