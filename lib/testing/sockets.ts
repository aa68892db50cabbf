/**
 * Test helpers for sockets: a connected pair of non-blocking loopback
 * sockets, both owned by the main thread (no Worker), and a client that
 * resets its connection.
 *
 * @module
 */

import net from "node:net";
import { select } from "../socket/select.ts";
import { Socket } from "../socket/socket.ts";

/**
 * A connected pair of non-blocking main-thread sockets on 127.0.0.1, and a
 * function that closes both.
 */
export async function socketPair(): Promise<[Socket, Socket, () => void]> {
  const server = new Socket();
  server.setblocking(false);
  server.bind(["127.0.0.1", 0]);
  server.listen(1);
  const client = new Socket();
  client.setblocking(false);
  client.connect_ex(server.getsockname());
  await select([server], [client], 5);
  const [conn] = server.accept();
  server.close();
  await select([], [client], 5);
  return [client, conn, () => (client.close(), conn.close())];
}

/**
 * Connects to `address` and resets the connection at once (`SO_LINGER` 0,
 * then close: the peer gets an RST, not a FIN), the way a client that
 * gives up abruptly does. Resolves once the socket is closed.
 */
export function connectAndReset([host, port]: [string, number]): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = net.connect(port, host, () => client.resetAndDestroy());
    client.once("close", () => resolve());
    client.once("error", reject);
  });
}
