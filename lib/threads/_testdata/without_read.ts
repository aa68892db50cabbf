/**
 * Run without `--allow-read` by a test: deferToThreadPool must fail at the
 * call, saying which read permission would work, and the script must end.
 *
 * @module
 */

import { EPollReactor } from "../../reactor/epoll_reactor.ts";
import { deferToThreadPool } from "../threads.ts";

const reactor = new EPollReactor({ installSignalHandlers: false });
deferToThreadPool(
  reactor,
  reactor.getThreadPool(),
  new URL("../../workers/_testdata/work.ts", import.meta.url),
  "add",
  1,
  2,
)
  .addErrback((failure) => console.log(`${failure.value.name}: ${failure.getErrorMessage()}`))
  .addBoth(() => reactor.callWhenRunning(() => reactor.stop()));
await reactor.run();
