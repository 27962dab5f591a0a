/**
 * Runs tasks one at a time per key and in the order they arrived, while tasks
 * of different keys run in parallel. The engine keys by address, so one
 * person's messages never overtake each other inside a process; across
 * processes the user's row lock does the same.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * Runs `task` after every earlier task of the same key has settled.
   *
   * @example
   * await queue.run("telegram:1", () => handle(message));
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many keys have work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
