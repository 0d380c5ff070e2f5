import { createOffsetMessageId } from '@rocketmq-ts/protocol';
import type { HostAddress } from '@rocketmq-ts/protocol';

/**
 * Offset message ids for one store host: the host part (address + port as hex) is the same for every message, so
 * it is computed once and only the 16 hex digits of the phyOffset are added per message.
 */
export class MessageIdFormatter {
  private host = '';
  private port = -1;
  /** The id's ASCII bytes: the host part once, the 16 offset digits rewritten per message. */
  private text = Buffer.alloc(0);

  format(storeHost: HostAddress, phyOffset: number): string {
    if (storeHost.host !== this.host || storeHost.port !== this.port) {
      this.text = Buffer.from(createOffsetMessageId(storeHost, 0), 'latin1');
      this.host = storeHost.host;
      this.port = storeHost.port;
    }
    const text = this.text;
    const hi = Math.floor(phyOffset / 0x1_0000_0000);
    let lo = phyOffset - hi * 0x1_0000_0000;
    let at = text.length;
    for (let i = 0; i < 8; i++, lo = Math.floor(lo / 16)) text[--at] = HEX_DIGIT[lo % 16]!;
    for (let i = 0, h = hi; i < 8; i++, h = Math.floor(h / 16)) text[--at] = HEX_DIGIT[h % 16]!;
    // One flat string per id (string concatenation would leave a chain of pieces to collect).
    return text.toString('latin1');
  }
}

/** ASCII codes of the upper-case hex digits. */
const HEX_DIGIT: readonly number[] = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
