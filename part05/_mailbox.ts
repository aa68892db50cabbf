/**
 * The mail scripts' shared parts (chapter 5, section 3): a mailbox in a
 * temporary directory of its own, a postman who delivers a letter into it,
 * and their command line (`--deliver-after`, `--deadline`).
 *
 * Where the mailbox lives: a script cannot name a directory in its
 * permissions before the directory exists, and `--allow-write=/tmp` would
 * let it read and write everything there. So every mailbox is made inside
 * one known folder, {@linkcode MAIL_ROOT}, with a random name (mode 0700),
 * and the tasks allow exactly that folder. The scripts read and write
 * nothing else, and remove their mailbox when they end.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  parseCommandLine,
  parseSeconds,
  UsageError,
} from "../lib/cli/mod.ts";
import { describeError } from "../lib/socket/socket_error.ts";

/** The folder the mailboxes are made in; the mail tasks may read and write only there. */
export const MAIL_ROOT = "/tmp/twisted-intro-mail";

/** What the postman brings unless told otherwise: the essay's letter, one line. */
export const LETTER = "letter\n";

/** A mailbox: a temporary directory holding, once delivered, a file named `mail`. */
export class Mailbox {
  /** The file a letter is delivered to. */
  readonly path: string;

  private constructor(readonly dir: string) {
    this.path = `${dir}/mail`;
  }

  /**
   * Makes an empty mailbox in {@linkcode MAIL_ROOT}.
   *
   * @throws {Deno.errors.NotCapable} without read and write permission there
   */
  static async open(): Promise<Mailbox> {
    await Deno.mkdir(MAIL_ROOT, { recursive: true });
    return new Mailbox(await Deno.makeTempDir({ dir: MAIL_ROOT, prefix: "mailbox-" }));
  }

  /**
   * The postman's visit: puts `letter` in the `mail` file, atomically. A
   * reader (another thread may be polling) sees no file or the whole
   * letter, never half of one: the letter is written to a temporary file in
   * the same mailbox, then renamed to `mail`, and a rename replaces a name
   * in one step. (Writing `mail` in place truncates it first: a reader in
   * between sees an empty or half-written letter.)
   */
  deliver(letter: string = LETTER): void {
    deliverTo(this.dir, letter);
  }

  /**
   * Removes the mailbox and whatever is in it, at once (it runs as the
   * process exits), and quietly if it is gone already.
   */
  remove(): void {
    try {
      Deno.removeSync(this.dir, { recursive: true });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

/** {@linkcode Mailbox.deliver}, given the mailbox's directory: for a postman in another thread. */
export function deliverTo(dir: string, letter: string = LETTER): void {
  const temporary = `${dir}/.mail-being-delivered`;
  Deno.writeTextFileSync(temporary, letter);
  Deno.renameSync(temporary, `${dir}/mail`);
}

/**
 * Python's `os.path.exists('mail')` then `open('mail').readlines()`: the
 * letter's lines if one is there, null if not. It reads the whole small
 * file at once, a blocking call short enough not to matter.
 */
export function collectMail(path: string): string[] | null {
  try {
    return Deno.readTextFileSync(path).split("\n").filter((line) => line !== "");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** How long the postman takes, and how long we wait for him. */
export interface MailOptions {
  /** Seconds from the start until the letter is delivered. */
  deliverAfter: number;
  /** Seconds from the start after which we stop waiting. */
  deadline: number;
  /** The letter the postman brings, a line ending in a newline. */
  letter: string;
}

/** The command line of a mail script: `--deliver-after S`, `--deadline S`, `--letter TEXT`, no arguments. */
export function mailSpec(task: string, description: string): CommandSpec {
  return {
    task,
    args: "",
    description: `${description}\nIt reads and writes only a mailbox it makes in ${MAIL_ROOT}.`,
    options: {
      "deliver-after": {
        type: "string",
        value: "SECONDS",
        help: "the postman delivers the letter this long after the start (default 2.5)",
      },
      deadline: {
        type: "string",
        value: "SECONDS",
        help: "give up waiting for mail after this long (default 10)",
      },
      letter: {
        type: "string",
        value: "TEXT",
        help: 'what the postman brings, one line (default "letter")',
      },
    },
    examples: ["--deliver-after 0.5", "--deliver-after 20 --deadline 3", "--letter postcard"],
  };
}

/** Parses a mail script's command line; exits with the usage and status 2 if it is wrong. */
export function parseMailCommandLine(spec: CommandSpec, args: string[] = Deno.args): MailOptions {
  const { values, positionals } = parseCommandLine(spec, args);
  return checked(spec, () => {
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"`);
    return {
      deliverAfter: parseSeconds(String(values["deliver-after"] ?? "2.5"), "--deliver-after"),
      deadline: parseSeconds(String(values.deadline ?? "10"), "--deadline"),
      letter: parseLetter(values.letter === undefined ? undefined : String(values.letter)),
    };
  });
}

/** The letter of `--letter TEXT`: one line, not empty. */
function parseLetter(text: string | undefined): string {
  if (text === undefined) return LETTER;
  if (text.trim() === "" || /[\r\n]/.test(text)) {
    throw new UsageError(`--letter must be one line of text, got ${JSON.stringify(text)}`);
  }
  return `${text}\n`;
}

/**
 * Opens a mailbox, removed when the script ends, or says on stderr what
 * went wrong and which permissions would work, and exits with status 1.
 */
export async function openMailbox(): Promise<Mailbox> {
  try {
    const mailbox = await Mailbox.open();
    // However the script ends (react's exit, Ctrl-C included), the mailbox goes with it.
    globalThis.addEventListener("unload", () => mailbox.remove());
    return mailbox;
  } catch (error) {
    const reason = error instanceof Deno.errors.NotCapable
      ? `no permission (run with --allow-read=${MAIL_ROOT} --allow-write=${MAIL_ROOT})`
      : describeError(error);
    console.error(`error: Cannot make a mailbox in ${MAIL_ROOT}: ${reason}`);
    Deno.exit(1);
  }
}
