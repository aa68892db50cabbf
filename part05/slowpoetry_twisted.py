# The Slow Poetry Server on Twisted 22.4 (chapter 5, section 5), the twin of slowpoetry.ts that
# chapter 5 measures against: one LoopingCall per connection, the epoll reactor.
#   /usr/bin/python3 part05/slowpoetry_twisted.py --port 10000 poetry/science.txt
# Needs Debian's python3-twisted (22.4); the repository itself never runs it.
import argparse, resource
from twisted.internet import epollreactor
epollreactor.install()
from twisted.internet import reactor, task
from twisted.internet.protocol import Protocol, ServerFactory

class SlowPoetryProtocol(Protocol):
    def connectionMade(self):
        self.sent = 0
        self.loop = task.LoopingCall(self.sendChunk)
        self.loop.start(self.factory.delay)

    def sendChunk(self):
        poem, n = self.factory.poem, self.factory.num_bytes
        self.transport.write(poem[self.sent:self.sent + n])
        self.sent += n
        if self.sent >= len(poem):
            self.loop.stop()
            self.transport.loseConnection()

    def connectionLost(self, reason):
        if self.loop.running:
            self.loop.stop()

class SlowPoetryFactory(ServerFactory):
    protocol = SlowPoetryProtocol

    def __init__(self, poem, delay, num_bytes):
        self.poem, self.delay, self.num_bytes = poem, delay, num_bytes

parser = argparse.ArgumentParser(description="The Slow Poetry Server, Twisted edition")
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--iface", default="127.0.0.1")
parser.add_argument("--delay", type=float, default=0.1)
parser.add_argument("--num-bytes", type=int, default=10)
parser.add_argument("--backlog", type=int, default=4096)
parser.add_argument("poem_file")
args = parser.parse_args()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # Deno does this by itself
factory = SlowPoetryFactory(open(args.poem_file, "rb").read(), args.delay, args.num_bytes)
port = reactor.listenTCP(args.port, factory, backlog=args.backlog, interface=args.iface)
print(f"Serving {args.poem_file} on port {port.getHost().port}.", flush=True)
reactor.run()
