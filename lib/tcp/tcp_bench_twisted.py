# The Twisted 22.4 twin of lib/tcp/tcp_bench.ts: 64 MiB over one loopback
# connection, written by a server protocol that is its transport's streaming
# producer (64 KiB or 1 MiB writes) and read by a client protocol, on the
# epoll reactor, in one process. Prints the best and median of RUNS runs
# for each write size, in ms and GB/s.
#   /usr/bin/python3 lib/tcp/tcp_bench_twisted.py [RUNS]
# Needs Debian's python3-twisted (22.4); the repository itself never runs it.
import statistics, sys, time
from twisted.internet import epollreactor
epollreactor.install()
from twisted.internet import reactor
from twisted.internet.protocol import ClientFactory, Factory, Protocol

TOTAL = 64 * 1024 * 1024

class Sender(Protocol):
    def __init__(self, chunk):
        self.chunk, self.sent, self.paused = chunk, 0, False

    def connectionMade(self):
        self.transport.registerProducer(self, True)
        self.resumeProducing()

    def pauseProducing(self):
        self.paused = True

    def resumeProducing(self):
        self.paused = False
        while not self.paused and self.sent < TOTAL:
            self.transport.write(self.chunk)
            self.sent += len(self.chunk)
        if self.sent >= TOTAL:
            self.transport.unregisterProducer()
            self.transport.loseConnection()

    def stopProducing(self):
        pass

class Receiver(Protocol):
    def __init__(self, done):
        self.received, self.done = 0, done

    def connectionMade(self):
        self.started = time.perf_counter()

    def dataReceived(self, data):
        self.received += len(data)

    def connectionLost(self, reason):
        assert self.received == TOTAL, self.received
        self.done(time.perf_counter() - self.started)

def run(chunk_size, runs, results, then):
    chunk = b"x" * chunk_size
    factory = Factory()
    factory.buildProtocol = lambda addr: Sender(chunk)
    port = reactor.listenTCP(0, factory, interface="127.0.0.1")
    times = []

    def one(_=None):
        if len(times) == runs:
            port.stopListening()
            results[chunk_size] = times
            return then()
        client = ClientFactory()
        client.buildProtocol = lambda addr: Receiver(lambda s: (times.append(s), reactor.callLater(0, one)))
        reactor.connectTCP("127.0.0.1", port.getHost().port, client)

    one()

def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    results = {}
    sizes = [64 * 1024, 1024 * 1024]

    def report():
        for size in sizes:
            times = results[size][3:]  # the first runs warm up, as deno bench's warmup
            best, median = min(times), statistics.median(times)
            print(f"Twisted 22.4, producer of {size // 1024} KiB writes: best {best * 1000:.1f} ms "
                  f"({TOTAL / best / 1e9:.2f} GB/s), median {median * 1000:.1f} ms "
                  f"({TOTAL / median / 1e9:.2f} GB/s)")
        reactor.stop()

    reactor.callWhenRunning(run, sizes[0], runs + 3, results,
                            lambda: run(sizes[1], runs + 3, results, report))
    reactor.run()

main()
