/**
 * Set-up calls the leader makes (command menus, the webhook) must not take the
 * process down or give up when the Bot API is away at start: they are tried
 * again until they succeed or leadership ends.
 */

/** A wait that `stop()` cuts short. */
export interface Pause {
  wait(ms: number): Promise<void>;
  stop(): void;
  readonly stopped: boolean;
}

/**
 * A pause for retry loops that must end promptly when stopped.
 *
 * @example
 * const pause = createPause();
 * while (!pause.stopped) { await tryOnce(); await pause.wait(5_000); }
 */
export function createPause(): Pause {
  let stopped = false;
  let wake = () => {};
  return {
    get stopped() {
      return stopped;
    },
    wait(ms) {
      if (stopped) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    stop() {
      stopped = true;
      wake();
    },
  };
}

/** A task being retried. */
export interface Retrying {
  /** Settles after the first try, whether it worked or not. */
  firstTry: Promise<void>;
  stop(): void;
}

/**
 * Runs `task` until it succeeds, waiting `retryMs` after each failure (reported to `onFailure`).
 *
 * @example
 * const registering = keepTrying(() => setWebhook(), 5_000, (error) => logger.warn("telegram.setup_failed", { error }));
 * await registering.firstTry;
 */
export function keepTrying(task: () => Promise<void>, retryMs: number, onFailure: (error: unknown) => void): Retrying {
  const pause = createPause();
  let firstTryDone = () => {};
  const firstTry = new Promise<void>((resolve) => {
    firstTryDone = resolve;
  });
  void (async () => {
    while (!pause.stopped) {
      try {
        await task();
        break;
      } catch (error) {
        if (!pause.stopped) onFailure(error);
      } finally {
        firstTryDone();
      }
      await pause.wait(retryMs);
    }
    firstTryDone();
  })();
  return { firstTry, stop: () => pause.stop() };
}
