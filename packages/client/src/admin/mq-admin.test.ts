import { ConfigError, ResponseCode } from '@rocketmq-ts/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MQ_ADMIN_DEFAULTS, resolveMQAdminConfig } from './admin-config.js';
import { MQAdmin } from './mq-admin.js';

const admins: MQAdmin[] = [];

afterEach(async () => {
  await Promise.all(admins.splice(0).map((a) => a.close()));
});

function newAdmin(): MQAdmin {
  const admin = new MQAdmin({ namesrvAddr: '127.0.0.1:9' });
  admins.push(admin);
  return admin;
}

describe('resolveMQAdminConfig', () => {
  it('applies the Java admin timeout and the client defaults', () => {
    const config = resolveMQAdminConfig({ namesrvAddr: '127.0.0.1:9876' }, {});
    expect(config.timeoutMs).toBe(MQ_ADMIN_DEFAULTS.timeoutMs);
    expect(config.namesrvAddr).toBe('127.0.0.1:9876');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('falls back to NAMESRV_ADDR and refuses a missing address or a bad timeout', () => {
    expect(resolveMQAdminConfig({}, { NAMESRV_ADDR: '10.0.0.1:9876' }).namesrvAddr).toBe(
      '10.0.0.1:9876',
    );
    expect(() => resolveMQAdminConfig({}, {})).toThrow(ConfigError);
    expect(() => resolveMQAdminConfig({ namesrvAddr: 'a:1', timeoutMs: 0 }, {})).toThrow(
      /timeoutMs/,
    );
  });
});

describe('MQAdmin', () => {
  it('rejects calls before start and after close, saying what to do', async () => {
    const admin = newAdmin();
    await expect(admin.clusterInfo()).rejects.toThrow(
      'this MQAdmin is not started: await admin.start() first',
    );
    await expect(admin.putKVConfig('n', 'k', 'v')).rejects.toThrow(/not started/);
    await admin.start();
    await admin.start();
    await admin.close();
    await admin.close();
    await expect(admin.topicList()).rejects.toThrow('this MQAdmin is closed: create a new one');
    await expect(admin.start()).rejects.toThrow(/closed/);
  });

  it('refuses ids that are not offset message ids before asking any broker', async () => {
    const admin = newAdmin();
    await admin.start();
    await expect(admin.viewMessage('xyz')).rejects.toMatchObject({
      name: 'MQClientError',
      code: ResponseCode.NO_MESSAGE,
    });
    // A unique key is 32 hex characters too, but its "port" bytes are not a port.
    await expect(admin.viewMessage('7F0000010F2A1B2C3D4E5F6000000001')).rejects.toThrow(
      /is not an offset message id.*queryMessageByUniqueKey/,
    );
    await expect(
      admin.consumeMessageDirectly({ consumerGroup: 'g', clientId: 'c', msgId: 'xyz' }),
    ).rejects.toThrow(/pass topic to look it up as a unique key/);
  });
});
