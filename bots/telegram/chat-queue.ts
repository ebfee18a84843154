/**
 * Per-chat serialisation: work for one chat runs in arrival order, one at a time, while
 * different chats run concurrently. Used for inbound updates in both polling and webhook mode,
 * so a citizen's "photo, then location" reaches core in that order.
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every earlier task of `key` settled; resolves or rejects with it. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when everything queued so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }

  /** Chats with queued or running work. */
  get size(): number {
    return this.tails.size;
  }
}
