/**
 * A headless Chromium driven over the DevTools protocol with Deno's own
 * `WebSocket`, for tests that check what a page shows (`part3:watch`'s).
 * No npm package: the protocol is JSON messages with ids, and the few
 * commands used here are `Target`, `Page`, `Runtime`, `DOM` and `Browser` ones.
 *
 * Debian's `chromium` package provides `/usr/bin/chromium`; it runs as
 * root only without its sandbox. Its profile goes into a fresh directory
 * under {@linkcode PROFILE_ROOT}, removed afterwards, and the DevTools
 * port is read from the `DevToolsActivePort` file it writes there.
 *
 * @module
 */

/** Where the browser is expected. */
export const CHROMIUM = "/usr/bin/chromium";

/** The one directory the browser tests write to (their permission set allows only it). */
export const PROFILE_ROOT = "/tmp/twisted-intro-chromium";

/** True if Chromium is installed where {@linkcode CHROMIUM} says. */
export function chromiumInstalled(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/** A page open in the browser. */
export interface BrowserPage {
  /** Evaluates `expression` in the page and returns its (JSON) value; a throw rejects. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /**
   * Evaluates `expression` until it is truthy, every 50 ms, and returns that
   * value; rejects with `what` after `seconds`.
   */
  waitFor<T = unknown>(expression: string, what: string, seconds?: number): Promise<T>;
  /** A PNG of the page as it is drawn now. */
  screenshot(): Promise<Uint8Array>;
  /** Chooses `paths` in the file input that `selector` finds, as a user would, and says it changed. */
  setFiles(selector: string, paths: string[]): Promise<void>;
}

/** The browser, with its pages; {@linkcode Browser.close} ends all of it. */
export class Browser {
  readonly #process: Deno.ChildProcess;
  readonly #socket: WebSocket;
  readonly #profile: string;
  readonly #waiting = new Map<number, (message: Record<string, unknown>) => void>();
  #nextId = 1;

  private constructor(process: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#process = process;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      this.#waiting.get(message.id)?.(message);
      this.#waiting.delete(message.id);
    };
    // A browser that went away answers nothing more: fail what waits rather than hang.
    socket.addEventListener("close", () => {
      for (const reply of this.#waiting.values()) reply({ error: "the browser closed" });
      this.#waiting.clear();
    });
  }

  /**
   * Starts a headless Chromium whose pages are `width` × `height` CSS
   * pixels, and connects to it; rejects after `seconds`. (The window size is
   * set at launch: `Emulation.setDeviceMetricsOverride` costs seconds.)
   */
  static async launch(width = 1280, height = 900, seconds = 20): Promise<Browser> {
    await Deno.mkdir(PROFILE_ROOT, { recursive: true });
    const profile = await Deno.makeTempDir({ dir: PROFILE_ROOT, prefix: "profile-" });
    const process = new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        // A page nobody looks at is otherwise niced and its timers slowed, as a background tab's.
        "--disable-renderer-backgrounding",
        "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows",
        "--remote-debugging-port=0",
        `--window-size=${width},${height}`,
        `--user-data-dir=${profile}`,
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const deadline = Date.now() + seconds * 1000;
      let endpoint: string | undefined;
      while (endpoint === undefined) {
        if (Date.now() > deadline) throw new Error(`Cannot start ${CHROMIUM}: no DevTools port`);
        try {
          const [port, path] = (await Deno.readTextFile(`${profile}/DevToolsActivePort`))
            .split("\n");
          if (path) endpoint = `ws://127.0.0.1:${port}${path}`;
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        }
        if (endpoint === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const socket = new WebSocket(endpoint);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = () => reject(new Error(`Cannot connect to ${endpoint}`));
      });
      return new Browser(process, socket, profile);
    } catch (error) {
      process.kill("SIGKILL");
      await process.status;
      await Deno.remove(profile, { recursive: true });
      throw error;
    }
  }

  /** Sends a DevTools command (to a page if `sessionId` is given) and returns its result. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    this.#socket.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, (message) => {
        if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
        else resolve(message.result as Record<string, unknown>);
      });
    });
  }

  /** Opens `url` in a new page, once it has loaded. */
  async open(url: string): Promise<BrowserPage> {
    // A window of its own: a page behind another one is hidden, and gets no animation frames.
    const { targetId } = await this.send("Target.createTarget", {
      url: "about:blank",
      newWindow: true,
    });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const session = sessionId as string;
    const send = (method: string, params: Record<string, unknown> = {}) =>
      this.send(method, params, session);
    await send("Page.enable");
    // In front, as a page someone looks at: a hidden one gets no animation frames.
    await send("Page.bringToFront");
    await send("Page.navigate", { url });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const reply = await send("Runtime.evaluate", {
        expression,
        returnByValue: true,
        awaitPromise: true,
      });
      if (reply.exceptionDetails) {
        throw new Error(`In the page: ${JSON.stringify(reply.exceptionDetails)}`);
      }
      return (reply.result as { value: T }).value;
    };
    const page: BrowserPage = {
      evaluate,
      async waitFor<T>(expression: string, what: string, seconds = 15): Promise<T> {
        const deadline = Date.now() + seconds * 1000;
        for (;;) {
          const value = await evaluate<T>(expression).catch(() => undefined);
          if (value) return value;
          if (Date.now() > deadline) throw new Error(`Timed out after ${seconds} s: ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async setFiles(selector: string, files: string[]): Promise<void> {
        const { root } = await send("DOM.getDocument");
        const { nodeId } = await send("DOM.querySelector", {
          nodeId: (root as { nodeId: number }).nodeId,
          selector,
        });
        await send("DOM.setFileInputFiles", { nodeId, files });
      },
      async screenshot(): Promise<Uint8Array> {
        const { data } = await send("Page.captureScreenshot", { format: "png" });
        return Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
      },
    };
    await page.waitFor("document.readyState === 'complete'", `${url} loaded`);
    return page;
  }

  /** Closes the browser and removes its profile. */
  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.#socket.addEventListener("close", resolve));
    await this.send("Browser.close").catch(() => {});
    if (this.#socket.readyState !== WebSocket.CLOSED) {
      this.#socket.close();
      await closed;
    }
    const timer = setTimeout(() => this.#process.kill("SIGKILL"), 5000);
    await this.#process.status;
    clearTimeout(timer);
    await Deno.remove(this.#profile, { recursive: true });
  }
}
