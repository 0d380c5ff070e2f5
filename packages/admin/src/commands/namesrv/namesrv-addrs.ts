import { splitAddrs } from '@rocketmq-ts/client';
import {
  ConnectionClosedError,
  RemotingConnectError,
  RemotingTimeoutError,
} from '@rocketmq-ts/remoting';
import type { CommandContext } from '../../cli/command-spec.js';
import { CommandError, missingNamesrvError } from '../../cli/command-spec.js';

/**
 * The NameServers of `-n` (or NAMESRV_ADDR), each of which the per-NameServer commands address, in the order given.
 * @throws CommandError when there is none.
 */
export function namesrvAddrs(ctx: CommandContext): string[] {
  const addrs = splitAddrs(ctx.namesrvAddr ?? '');
  if (addrs.length === 0) throw missingNamesrvError();
  return addrs;
}

/**
 * The one-line error for a failed call to a named NameServer: one that cannot be reached is named, with a hint; any
 * other error is returned unchanged.
 */
export function namesrvCallError(error: unknown): unknown {
  if (
    error instanceof RemotingConnectError ||
    error instanceof RemotingTimeoutError ||
    error instanceof ConnectionClosedError
  ) {
    return new CommandError(
      `NameServer ${error.addr} is unreachable (${error.message}): check -n / NAMESRV_ADDR and that mqnamesrv is running`,
      { cause: error },
    );
  }
  return error;
}

/** Awaits a call to the NameServers, turning an unreachable one into {@link namesrvCallError}'s one-line error. */
export async function namesrvCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw namesrvCallError(error);
  }
}
