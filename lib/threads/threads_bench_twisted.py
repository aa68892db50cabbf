"""The Twisted 22.4 twin of threads_bench.ts: the same four measurements,
with the global reactor and its thread pool, printed in the same lines.

    /usr/bin/python3 lib/threads/threads_bench_twisted.py

- one round trip: deferToThread(add, i, 1) awaited before the next, pool of
  1, 1,000 calls after 200 warm-up calls (µs per call), ROUNDS times;
- throughput: 20,000 trivial calls queued at once, pool of 10 (calls/s);
- 4 CPU-bound jobs inline, then on a pool of 2 (the speed-up; Python's GIL
  lets only one thread compute at a time);
- the process's CPU time over 3 s of an idle reactor, without a pool, then
  with a started pool of 2 idle threads.
"""

import resource
import sys
import time

from twisted.internet import defer, reactor, task, threads

ROUND_TRIPS = 1000
WARM_UP = 200
QUEUED = 20000
JOBS = 4
ROUNDS = 4000000
IDLE_SECONDS = 3.0
# Waited after a shrink, as threads_bench.ts waits for its stopped Workers.
SETTLE_SECONDS = 0.25
REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def add(a, b):
    return a + b


def burn(rounds):
    x = 0
    for i in range(rounds):
        x = (x * 31 + i) % 1000003
    return x


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def sleep(seconds):
    return task.deferLater(reactor, seconds, lambda: None)


def resize(size):
    """Sets the pool's size, then waits as the Deno twin does after a shrink."""
    before = len(reactor.getThreadPool().threads)
    reactor.suggestThreadPoolSize(size)
    if size < before:
        return sleep(SETTLE_SECONDS)
    return defer.succeed(None)


@defer.inlineCallbacks
def idle_cpu_ms():
    """CPU ms used while the reactor idles for IDLE_SECONDS."""
    before = cpu_seconds()
    yield sleep(IDLE_SECONDS)
    return (cpu_seconds() - before) * 1000


@defer.inlineCallbacks
def main():
    pool = reactor.getThreadPool()
    print("Twisted %s, Python %s" % (__import__("twisted").__version__, sys.version.split()[0]))
    idle_before = yield idle_cpu_ms()
    for run in range(REPEAT):
        yield resize(1)
        for i in range(WARM_UP):
            yield threads.deferToThread(add, i, 1)
        start = time.perf_counter()
        for i in range(ROUND_TRIPS):
            yield threads.deferToThread(add, i, 1)
        per_call = (time.perf_counter() - start) / ROUND_TRIPS * 1e6
        print("round trip, pool of 1: %.1f µs per call" % per_call)

        yield resize(10)
        yield defer.gatherResults([threads.deferToThread(add, i, 1) for i in range(10)])
        start = time.perf_counter()
        yield defer.gatherResults([threads.deferToThread(add, i, 1) for i in range(QUEUED)])
        rate = QUEUED / (time.perf_counter() - start)
        print("%d queued calls, pool of 10: %.0f calls/s" % (QUEUED, rate))

        start = time.perf_counter()
        for _ in range(JOBS):
            burn(ROUNDS)
        inline = time.perf_counter() - start
        yield resize(2)
        cpu = cpu_seconds()
        start = time.perf_counter()
        yield defer.gatherResults([threads.deferToThread(burn, ROUNDS) for _ in range(JOBS)])
        pooled = time.perf_counter() - start
        print(
            "%d CPU-bound jobs: inline %.0f ms, pool of 2 %.0f ms, speed-up %.2fx (%.2f cores busy)"
            % (JOBS, inline * 1000, pooled * 1000, inline / pooled, (cpu_seconds() - cpu) / pooled)
        )
    # The pool keeps its threads started (Twisted's pool never shrinks below
    # what ran), so this is an idle reactor with a started pool.
    idle_after = yield idle_cpu_ms()
    print(
        "idle reactor for %.0f s: %.1f ms CPU without a pool, %.1f ms with %d idle threads"
        % (IDLE_SECONDS, idle_before, idle_after, len(pool.threads))
    )


def run():
    d = main()
    d.addErrback(lambda f: f.printTraceback())
    d.addBoth(lambda _: reactor.stop())


reactor.callWhenRunning(run)
reactor.run()
