import { describe, expect, it } from 'vitest';
import { waitFor, WaitForTimeoutError } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value the check returns', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `ready after ${calls}` : undefined), {
      description: 'the third call',
      intervalMs: 1,
    });
    expect(value).toBe('ready after 3');
    expect(calls).toBe(3);
  });

  it('awaits an async check and treats its rejections as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls += 1;
        await Promise.resolve();
        if (calls < 3) throw new Error(`not yet (${calls})`);
        return { port: 1234 };
      },
      { description: 'an async check', intervalMs: 1 },
    );
    expect(value).toEqual({ port: 1234 });
  });

  it('times out with an error naming the description and the last value', async () => {
    const error = await waitFor(() => 0, { description: 'the queue to fill', timeoutMs: 30 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitForTimeoutError);
    const timeout = error as WaitForTimeoutError;
    expect(timeout.message).toContain('waiting for the queue to fill');
    expect(timeout.message).toContain('last value: 0');
    expect(timeout.description).toBe('the queue to fill');
    expect(timeout.timeoutMs).toBe(30);
    expect(timeout.lastValue).toBe(0);
  });

  it('times out with the last error as message detail and cause', async () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const error = await waitFor(
      () => {
        throw cause;
      },
      { description: 'the broker to accept connections', timeoutMs: 30 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitForTimeoutError);
    expect((error as Error).message).toContain('last error: Error: connect ECONNREFUSED');
    expect((error as Error).cause).toBe(cause);
  });

  it('abandons a check that never settles once the deadline passes', async () => {
    const error = await waitFor(() => new Promise<boolean>(() => undefined), {
      description: 'a hanging check',
      timeoutMs: 30,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitForTimeoutError);
    expect((error as Error).message).toContain('the check never completed');
  });

  it('rejects with the abort reason when its signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('test is over');
    let calls = 0;
    const waiting = waitFor(
      () => {
        calls += 1;
        if (calls === 2) controller.abort(reason);
        return false;
      },
      {
        description: 'something that never comes',
        timeoutMs: 60_000,
        intervalMs: 1,
        signal: controller.signal,
      },
    );
    await expect(waiting).rejects.toBe(reason);
    expect(calls).toBe(2);
  });
});
