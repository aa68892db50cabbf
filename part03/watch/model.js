// The page of `deno task part3:watch`, part 1 of 3: the run's state. A
// model is what the records of a run (lib/reactor/trace_events.ts, and
// part03/_watch_hub.ts's own lines) say, applied in order: the turn, the
// pending delayed calls, the registered descriptors, the Workers, the
// output. Nothing is simulated: every state is computed from what the real
// run wrote. draw.js draws a model, and watch.js feeds it.
/** Turns kept for the strip. */
const STRIP_TURNS = 4000;
/** Lines of the task's output kept (and shown). */
export const OUTPUT_LINES = 300;

export function newModel() {
  return {
    task: "",
    reactor: "",
    started: 0,
    turn: 0,
    last: null,
    running: null,
    now: 0,
    timers: new Map(),
    fired: [],
    fds: new Map(),
    closed: { count: 0, read: 0, written: 0 },
    workers: null,
    turns: [],
    output: [],
    outputChanged: true,
    exit: null,
    shutdown: null,
  };
}

/** The record's moment on the run's clock, seconds since the loop started. */
export function timeOf(record, previous) {
  if (typeof record.end === "number") return record.end;
  if (typeof record.woke === "string" && typeof record.at === "number") return record.at;
  if (typeof record.shutdown === "number") return record.shutdown;
  return previous;
}

export function apply(m, record) {
  if (typeof record.task === "string") {
    m.task = [record.task, ...(record.args ?? [])].join(" ");
  } else if (typeof record.reactor === "string") {
    m.reactor = record.reactor;
    m.started = record.started;
  } else if (typeof record.turn === "number" && !Array.isArray(record.calls)) {
    // The wait is over: the turn's calls run now, however long they take.
    m.running = record;
  } else if (typeof record.turn === "number") {
    m.running = null;
    for (const event of record.events ?? []) applyEvent(m, event, record.end);
    m.turn = record.turn;
    m.last = record;
    m.now = record.end;
    m.turns.push(record);
    if (m.turns.length > STRIP_TURNS * 1.5) m.turns = m.turns.slice(-STRIP_TURNS);
  } else if (typeof record.shutdown === "number") {
    for (const event of record.events ?? []) applyEvent(m, event, record.shutdown);
    m.shutdown = record.shutdown;
  } else if (typeof record.output === "string") {
    m.output.push(record);
    if (m.output.length > OUTPUT_LINES * 2) m.output = m.output.slice(-OUTPUT_LINES);
    m.outputChanged = true;
  } else if ("exit" in record) {
    m.exit = record;
  }
}

function applyEvent(m, event, at) {
  const [kind, a, b, c, d] = event;
  switch (kind) {
    case "later":
      m.timers.set(a, { id: a, label: b, at: c, due: d });
      break;
    case "moved": {
      const timer = m.timers.get(a);
      if (timer) timer.due = b;
      break;
    }
    case "ran":
    case "cancelled": {
      const timer = m.timers.get(a);
      m.timers.delete(a);
      m.fired.push({ id: a, kind, label: timer ? timer.label : "?", at });
      if (m.fired.length > 40) m.fired = m.fired.slice(-20);
      break;
    }
    case "reader+":
    case "writer+": {
      const role = kind === "reader+" ? "reader" : "writer";
      let fd = m.fds.get(a);
      if (!fd) {
        fd = { fd: a, name: b, reader: false, writer: false, read: 0, written: 0 };
        m.fds.set(a, fd);
      }
      fd.name = b;
      fd[role] = true;
      break;
    }
    case "reader-":
    case "writer-": {
      const fd = m.fds.get(a);
      if (!fd) break;
      fd[kind === "reader-" ? "reader" : "writer"] = false;
      if (!fd.reader && !fd.writer) {
        m.fds.delete(a);
        m.closed.count++;
        m.closed.read += fd.read;
        m.closed.written += fd.written;
      }
      break;
    }
    case "bytes": {
      const fd = m.fds.get(a);
      const into = fd ?? m.closed;
      into.read += b;
      into.written += c;
      break;
    }
    case "workers":
      m.workers = { workers: a, busy: b, queued: c };
      break;
  }
}

/** Reads records from text: one JSON object a line; other lines are skipped. */
export function parseLines(text) {
  const out = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // Not a record: a script's own output that happens to start with a brace.
    }
  }
  return out;
}
