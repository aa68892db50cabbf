import { assertEquals } from "../lib/testing/asserts.ts";

const HOST = "127.0.0.1";

function portOf(addr: Deno.Addr): number {
  return (addr as Deno.NetAddr).port;
}

Deno.test("_peers.ts sends a byte on each connection named on the control connection, and exits when it ends", async () => {
  const controlListener = Deno.listen({ hostname: HOST, port: 0 });
  const dataListener = Deno.listen({ hostname: HOST, port: 0 });
  const child = new Deno.Command("deno", {
    args: [
      "run",
      `--allow-net=${HOST}`,
      "part04/_peers.ts",
      `${portOf(controlListener.addr)}`,
      `${portOf(dataListener.addr)}`,
      "2",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const conns: Deno.Conn[] = [];
  try {
    const control = await controlListener.accept();
    conns.push(control, await dataListener.accept(), await dataListener.accept());
    const message = new Uint8Array(8);
    const view = new DataView(message.buffer);
    view.setUint32(0, portOf(conns[2].remoteAddr), true);
    view.setUint32(4, portOf(conns[1].remoteAddr), true);
    // The second message cut in two, as a stream may deliver it.
    for (const part of [message.subarray(0, 6), message.subarray(6)]) {
      await control.write(part);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const buffer = new Uint8Array(16);
    for (const conn of [conns[2], conns[1]]) {
      assertEquals(await conn.read(buffer), 1);
      assertEquals(buffer[0], 42);
    }
    control.close();
    conns.shift();
    assertEquals((await child.status).code, 0, await stderr);
    assertEquals(await stderr, "");
  } finally {
    for (const conn of conns) conn.close();
    controlListener.close();
    dataListener.close();
    try {
      child.kill();
    } catch {
      // It has exited, as it should.
    }
    await child.status;
    await stderr;
  }
});
