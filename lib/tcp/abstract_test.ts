import { assert, assertEquals } from "../testing/asserts.ts";
import { MemoryReactorClock } from "../testing/memory_reactor.ts";
import { FileDescriptor, type TCPReactor } from "./abstract.ts";

/** A descriptor whose socket takes `room` bytes per call and records what it was offered. */
class Recording extends FileDescriptor {
  offered: number[] = [];
  taken: Uint8Array[] = [];
  constructor(reactor: TCPReactor, readonly room: number) {
    super(reactor);
    this.connected = true;
  }
  fileno(): number {
    return 3;
  }
  doRead(): void {}
  logPrefix(): string {
    return "Recording";
  }
  protected writeSomeData(chunks: readonly Uint8Array[]): number {
    this.offered.push(chunks.length);
    let left = this.room;
    for (const chunk of chunks) {
      const part = chunk.subarray(0, Math.min(left, chunk.length));
      this.taken.push(part.slice());
      left -= part.length;
      if (left === 0) break;
    }
    return this.room - left;
  }
}

Deno.test("FileDescriptor.doWrite offers the socket at most 1 MiB of a long queue, in order, without losing a byte", () => {
  const reactor = new MemoryReactorClock() as unknown as TCPReactor;
  const fd = new Recording(reactor, 4096 + 3);
  const writes = 20_000;
  for (let i = 0; i < writes; i++) fd.write(new Uint8Array(100).fill(i & 0xff));
  let calls = 0;
  while (fd.bufferedAmount > 0 && calls++ < 10_000) fd.doWrite();
  assertEquals(fd.bufferedAmount, 0);
  // 100-byte chunks: 1 MiB of them is 10,486; each call is offered no more (no copy of the rest).
  assert(
    Math.max(...fd.offered) <= 10_486 + 1,
    `offered ${Math.max(...fd.offered)} chunks at once`,
  );
  const all = new Uint8Array(writes * 100);
  let at = 0;
  for (const part of fd.taken) all.set(part, (at += part.length) - part.length);
  assertEquals(at, all.length);
  for (let i = 0; i < writes; i++) assertEquals(all[i * 100 + 99], i & 0xff, `write ${i}`);
});
