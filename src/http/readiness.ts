/**
 * Whether this process should be sent work: `/readyz` answers from it. Alive
 * (`/healthz`) and ready are different: a process whose channels are still
 * starting, or that is draining before it stops, is alive but should get no
 * new traffic; a process whose database is unreachable should not be
 * restarted for it (a restart does not bring the database back), only
 * passed over until it is reachable again.
 */

/** The lifecycle `main.ts` reports; the database is asked on each request. */
export class Readiness {
  private started = false;
  private stopping = false;

  /**
   * A state that is ready as soon as the database answers (tests, the terminal chat).
   *
   * @example
   * createHttpApp(app, { webChat: true, readiness: Readiness.started() });
   */
  static started(): Readiness {
    const readiness = new Readiness();
    readiness.markStarted();
    return readiness;
  }

  /** The channels have started (polling or webhook registered, or retrying on their own). */
  markStarted(): void {
    this.started = true;
  }

  /** A stop signal came: new traffic should go elsewhere. */
  markDraining(): void {
    this.stopping = true;
  }

  get draining(): boolean {
    return this.stopping;
  }

  /**
   * Why the process is not ready, before asking the database; undefined when nothing in the lifecycle stands in the way.
   *
   * @example
   * const reason = readiness.lifecycleReason(); // "draining"
   */
  lifecycleReason(): "draining" | "starting" | undefined {
    if (this.stopping) return "draining";
    if (!this.started) return "starting";
    return undefined;
  }
}
