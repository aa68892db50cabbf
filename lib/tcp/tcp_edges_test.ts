// TCP at the edge of its resources: peers that stop reading, bursts that
// must not stay in memory. (Out of descriptors: part05/slowpoetry_test.ts
// and lib/reactor/reactor_emfile_test.ts, which need a low `ulimit -n`.)
import { assert, assertEquals } from "../testing/asserts.ts";
import { testBothReactors } from "../testing/reactors.ts";
import { ConnectionLost } from "../error.ts";
import { Factory, Protocol } from "./protocol.ts";
import { SO_RCVBUF, SOL_SOCKET } from "../socket/socket.ts";
import type { Connection } from "./tcp.ts";

const HOST = "127.0.0.1";

testBothReactors(
  "at shutdown a connection whose peer does not read is closed at once, its unsent bytes dropped",
  async (t) => {
    const sent = 32 * 1024 * 1024;
    let lost: string | undefined;
    class Flood extends Protocol {
      override connectionMade(): void {
        this.transport.write(new Uint8Array(sent));
        this.transport.loseConnection();
        // Long enough for the socket to fill what the peer's kernel takes.
        t.reactor.callLater(0.3, () => t.reactor.stop());
      }
      override connectionLost(reason: { getErrorMessage(): string }): void {
        lost = reason.getErrorMessage();
      }
    }
    const port = t.reactor.listenTCP(0, Factory.forProtocol(Flood));
    const peer = await Deno.connect({ hostname: HOST, port: port.getHost().port });
    try {
      await t.run(10);
      assertEquals(lost, new ConnectionLost().message);
      // What the kernel had taken still arrives; then the end, not the rest.
      let received = 0;
      const buffer = new Uint8Array(1024 * 1024);
      for (let n = await peer.read(buffer); n !== null; n = await peer.read(buffer)) received += n;
      assert(received < sent, `the peer got all ${sent} bytes: nothing was dropped`);
    } finally {
      peer.close();
    }
    // The test's op sanitizer fails it if a write to the peer were still pending.
  },
);

testBothReactors(
  "a connection's receive buffer grows for a burst and shrinks once it is over",
  async (t) => {
    const sizes: number[] = [];
    let received = 0;
    const burst = 8 * 1024 * 1024;
    class Sink extends Protocol {
      override dataReceived(data: Uint8Array): void {
        received += data.length;
        const size = (this.transport as Connection).socket.getsockopt(SOL_SOCKET, SO_RCVBUF);
        sizes.push(size);
        if (received === burst + 10) t.reactor.stop();
      }
    }
    const port = t.reactor.listenTCP(0, Factory.forProtocol(Sink));
    const peer = await Deno.connect({ hostname: HOST, port: port.getHost().port });
    const sending = (async () => {
      const bytes = new Uint8Array(burst);
      for (let at = 0; at < burst;) at += await peer.write(bytes.subarray(at));
      // Then a trickle: ten single bytes, well apart.
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await peer.write(new Uint8Array(1));
      }
    })();
    try {
      await t.run(30);
      await sending;
    } finally {
      peer.close();
    }
    const most = Math.max(...sizes);
    assert(most > 64 * 1024, `never grew for the burst: ${most}`);
    const last = sizes.at(-1) ?? most;
    assert(last < most, `still ${last} bytes after the burst, as at its peak`);
  },
);
