/**
 * {@linkcode Queue}: first in, first out, with O(1) `shift()` (an array's
 * `shift()` moves every element: 20,000 queued calls would cost 200 million moves).
 *
 * @module
 */

/** A FIFO queue consumed by index, compacted as it empties. */
export class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** How many items are waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** The item at the front, left there; undefined when there is none. */
  peek(): T | undefined {
    return this.#items[this.#head];
  }

  /** Takes the item at the front, or undefined when there is none. */
  shift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
