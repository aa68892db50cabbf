import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { select } from "../lib/socket/select.ts";
import { PeerProcess } from "./_peer_process.ts";

Deno.test("PeerProcess.open() accepts N connections and sendTo() reaches the chosen reader", async () => {
  // More than one batch of connects (256), so the batches are accepted too.
  const peers = await PeerProcess.open(300);
  try {
    assertEquals(peers.readers.length, 300);
    const descriptors = new Set(peers.readers.map((reader) => reader.fileno()));
    assertEquals(descriptors.size, 300, "each reader holds a descriptor of its own");
    assert(!descriptors.has(-1), "every reader is open");
    for (const index of [299, 0, 150, 150]) {
      peers.sendTo(index);
      const [readable] = await select(peers.readers, [], 5);
      assertEquals(readable, [peers.readers[index]]);
      assertEquals([...peers.readers[index].recv(16)], [42]);
    }
  } finally {
    await peers.close();
  }
  assert(peers.readers.every((reader) => reader.fileno() === -1), "every socket is closed");
  assert(peers.status !== undefined, "the peer process has exited");
});
