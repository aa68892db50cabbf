/**
 * The errors of the `Cooperator` (`cooperator.ts`), as Twisted's
 * `twisted.internet.task` names them: a task or its scheduler in the wrong
 * state for what was asked.
 *
 * @module
 */

/**
 * A Cooperator or one of its tasks was in the wrong state for what was
 * asked; the base class of the errors below, as in Twisted.
 */
export class SchedulerError extends Error {
  /** Makes the error, with `message` saying what went wrong. */
  constructor(message = "Cannot do that: the scheduler or its task is in the wrong state") {
    super(message);
    this.name = "SchedulerError";
  }
}

/** Raised (and given to `whenDone()`) when the Cooperator was stopped, before or during a task. */
export class SchedulerStopped extends SchedulerError {
  /** Makes the error, with `message` saying what went wrong. */
  constructor(message = "Cannot run the task: its Cooperator was stopped") {
    super(message);
    this.name = "SchedulerStopped";
  }
}

/** Raised by `pause()` or `stop()` on a task that has finished, one way or another. */
export class TaskFinished extends SchedulerError {
  /** Makes the error, with `message` saying what went wrong. */
  constructor(message = "Cannot change the task: it has finished") {
    super(message);
    this.name = "TaskFinished";
  }
}

/** A {@linkcode TaskFinished} for a task whose iterator ran to its end. */
export class TaskDone extends TaskFinished {
  /** Makes the error, with `message` saying what went wrong. */
  constructor(message = "Cannot change the task: its iterator is done") {
    super(message);
    this.name = "TaskDone";
  }
}

/** A {@linkcode TaskFinished} for a task that was stopped; `whenDone()` fails with it too. */
export class TaskStopped extends TaskFinished {
  /** Makes the error, with `message` saying what went wrong. */
  constructor(message = "Cannot change the task: it was stopped") {
    super(message);
    this.name = "TaskStopped";
  }
}

/** A {@linkcode TaskFinished} for a task whose iterator threw (or whose Deferred failed). */
export class TaskFailed extends TaskFinished {
  /** Makes the error, with `message` saying what went wrong. */
  constructor(message = "Cannot change the task: its iterator failed") {
    super(message);
    this.name = "TaskFailed";
  }
}

/** Raised by `resume()` on a task that is not paused. */
export class NotPaused extends SchedulerError {
  /** Makes the error, with `message` saying what went wrong. */
  constructor(message = "Cannot resume the task: it is not paused") {
    super(message);
    this.name = "NotPaused";
  }
}
