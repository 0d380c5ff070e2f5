import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConsumerConnectionInfo, ConsumerRunningInfo, MQAdmin } from '@rocketmq-ts/client';
import type { CommandContext, CommandSpec } from '../../cli/command-spec.js';
import { CommandError, optionalOption, requiredOption } from '../../cli/command-spec.js';
import { errorText } from '../failure-list.js';
import { brokerAddrOption, clientIdOption, groupOption } from '../option-specs.js';
import { formatRow } from '../text-columns.js';
import { groupConnection } from './consumer-connection-command.js';
import { mqVersionDesc } from './mq-version.js';
import {
  formatRunningInfo,
  processQueueWarnings,
  sameSubscription,
} from './running-info-format.js';

/** One client's answer, or why there is none. */
type ClientReport =
  | { clientId: string; version: number; info: ConsumerRunningInfo }
  | { clientId: string; version: number; info: undefined; error: string };

/**
 * `consumerStatus -g <group> [-i clientId] [-b brokerAddr] [-s]` (ConsumerStatusSubCommand, 4.9.8). Without `-i`:
 * asks every live client for its running info (GET_CONSUMER_RUNNING_INFO through a broker, all at once), writes
 * each report to `<epochMillis>/<clientId>` under the working directory and prints `#Index` (L10), `#ClientId`
 * (L40), `#Version` (L20), `#ConsumerRunningInfoFile`; then `Same subscription in the same group of consumer`,
 * `Rebalance OK|Failed` and the process-queue warnings, or `WARN: Different subscription in the same group of
 * consumer!!!`. With `-i`: that client's full report.
 *
 * A client that does not answer (ali-ons never answers running-info requests) gets a row saying so, and the others
 * are still reported (4.9.8 prints a stack trace and skips it). `-s` (jstack) is passed on; Node clients have no
 * thread dump to send. `--json` prints the rows and the analysis (with `-i`: the report) as JSON.
 */
export const consumerStatusCommand: CommandSpec = {
  name: 'consumerStatus',
  description: "Query consumer's internal data structure",
  json: true,
  options: [
    groupOption('consumerGroup', 'consumer group name', true),
    clientIdOption('i'),
    brokerAddrOption(),
    {
      short: 's',
      long: 'jstack',
      description: 'Run jstack command in the consumer progress',
      hasArg: false,
    },
  ],
  async run(ctx) {
    const group = requiredOption(ctx.options, 'consumerGroup').trim();
    const clientId = optionalOption(ctx.options, 'clientId')?.trim();
    const jstack = ctx.options.has('jstack');
    const admin = await ctx.admin();
    const cc = await groupConnection(ctx, group);
    if (clientId !== undefined) {
      let info: ConsumerRunningInfo;
      try {
        info = await admin.consumerRunningInfo(group, clientId, jstack);
      } catch (error) {
        throw new CommandError(
          `client ${clientId} of group ${group} did not answer the running-info request: ${errorText(error)}`,
        );
      }
      if (ctx.json) ctx.print(JSON.stringify(runningInfoJson(info)));
      else ctx.print(formatRunningInfo(info));
      return;
    }
    await printAllClients(ctx, { admin, group, cc, jstack });
  },
};

async function printAllClients(
  ctx: CommandContext,
  run: { admin: MQAdmin; group: string; cc: ConsumerConnectionInfo; jstack: boolean },
): Promise<void> {
  const now = ctx.now();
  const reports: ClientReport[] = await Promise.all(
    [...run.cc.connectionSet]
      .sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0))
      .map(async (c): Promise<ClientReport> => {
        try {
          const info = await run.admin.consumerRunningInfo(run.group, c.clientId, run.jstack);
          return { clientId: c.clientId, version: c.version, info };
        } catch (error) {
          return {
            clientId: c.clientId,
            version: c.version,
            info: undefined,
            error: errorText(error),
          };
        }
      }),
  );
  const answered = reports.flatMap((r) => (r.info === undefined ? [] : [r]));
  const files = new Map<string, string>();
  for (const r of answered) {
    const path = join(String(now), r.clientId);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, formatRunningInfo(r.info));
    files.set(r.clientId, path);
  }
  const infos = answered.map((r) => r.info);
  const subSame = sameSubscription(infos, now);
  // Java's analyzeRebalance always says OK.
  const rebalanceOk = subSame;
  const warnings = subSame
    ? answered.flatMap((r) => processQueueWarnings(r.clientId, r.info, now))
    : [];

  if (ctx.json) {
    ctx.print(
      JSON.stringify({
        group: run.group,
        clients: reports.map((r) => ({
          clientId: r.clientId,
          version: mqVersionDesc(r.version),
          answered: r.info !== undefined,
          ...(r.info === undefined ? { error: r.error } : { file: files.get(r.clientId) }),
        })),
        sameSubscription: answered.length === 0 ? null : subSame,
        rebalanceOK: answered.length === 0 ? null : rebalanceOk,
        warnings,
      }),
    );
    return;
  }
  const row = (cells: readonly (string | number)[]): string =>
    formatRow('%-10s %-40s %-20s %s', cells);
  ctx.print(row(['#Index', '#ClientId', '#Version', '#ConsumerRunningInfoFile']));
  reports.forEach((r, i) => {
    const last =
      r.info === undefined ? `N/A (no running info: ${r.error})` : (files.get(r.clientId) ?? '');
    ctx.print(row([i + 1, r.clientId, mqVersionDesc(r.version), last]));
  });
  if (answered.length === 0) return;
  ctx.print('');
  ctx.print('');
  if (!subSame) {
    ctx.print('WARN: Different subscription in the same group of consumer!!!');
    return;
  }
  ctx.print('Same subscription in the same group of consumer');
  ctx.print('');
  ctx.print(`Rebalance ${rebalanceOk ? 'OK' : 'Failed'}`);
  for (const w of warnings) ctx.print(w);
}

function runningInfoJson(info: ConsumerRunningInfo): unknown {
  return {
    properties: Object.fromEntries(info.properties),
    subscriptions: info.subscriptionSet.map((sd) => ({
      topic: sd.topic,
      subExpression: sd.subString,
    })),
    queues: info.mqTable.map(([mq, pq]) => ({ ...mq, ...pq })),
    status: Object.fromEntries(info.statusTable),
    ...(info.jstack === undefined ? {} : { jstack: info.jstack }),
  };
}
