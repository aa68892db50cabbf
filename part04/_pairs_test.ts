import { assertEquals } from "../lib/_assert.ts";
import { openDescriptorCount } from "../lib/_fd_table.ts";
import { select } from "../lib/select.ts";
import { closePairs, openPairs } from "./_pairs.ts";

Deno.test("openPairs() connects each client to the server end accepted for it", async () => {
  const before = openDescriptorCount();
  // More than one batch of connects, so the batches are paired up too.
  const pairs = await openPairs(300);
  try {
    assertEquals(pairs.length, 300);
    assertEquals(openDescriptorCount(), before + 600);
    for (const [index, { client, server }] of pairs.entries()) {
      assertEquals(server.getpeername(), client.getsockname());
      server.send(new Uint8Array([index % 256]));
    }
    for (const [index, { client }] of pairs.entries()) {
      await select([client], [], 5);
      assertEquals([...client.recv(16)], [index % 256]);
    }
  } finally {
    await closePairs(pairs);
  }
  assertEquals(openDescriptorCount(), before);
});
