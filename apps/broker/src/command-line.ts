/**
 * `mqbroker` command line, as RocketMQ's BrokerStartup reads it: `-c <file>` loads broker.conf, `-n <addr>` sets
 * namesrvAddr (wins over the file), `-p` prints every config item and exits, `-m` prints the important ones and
 * exits, `-h` prints usage. Ours adds `--ready-file <path>` (tests) and `--log-level`.
 */
export interface BrokerCommandLine {
  configFile?: string;
  namesrvAddr?: string;
  printConfig: boolean;
  printImportantConfig: boolean;
  help: boolean;
  readyFile?: string;
  logLevel?: string;
}

/** Usage text printed by `-h`. */
export const USAGE = `usage: mqbroker [-c <file>] [-n <addr>] [-p] [-m] [-h] [--ready-file <path>] [--log-level debug|info|warn|error]
  -c, --configFile <file>          broker.conf (RocketMQ properties: brokerClusterName, brokerName, brokerId,
                                   listenPort, namesrvAddr, storePathRootDir, brokerRole, flushDiskType, ...)
  -n, --namesrvAddr <addr>         name servers, e.g. '127.0.0.1:9876' or '192.168.0.1:9876;192.168.0.2:9876'
                                   (default: the file's namesrvAddr, else $NAMESRV_ADDR)
  -p, --printConfigItem            print all config items and exit
  -m, --printImportantConfig       print important config items and exit
  -h, --help                       print this help and exit
      --ready-file <path>          write {"pid","listenPort","haListenPort"} here once serving
      --log-level <level>          debug, info (default), warn or error`;

/** Parses argv (without node and the script). Throws Error with a usage hint on unknown flags. */
export function parseCommandLine(argv: readonly string[]): BrokerCommandLine {
  const out: BrokerCommandLine = { printConfig: false, printImportantConfig: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '-c' || arg === '--configFile') out.configFile = value();
    else if (arg === '-n' || arg === '--namesrvAddr') out.namesrvAddr = value();
    else if (arg === '-p' || arg === '--printConfigItem') out.printConfig = true;
    else if (arg === '-m' || arg === '--printImportantConfig') out.printImportantConfig = true;
    else if (arg === '-h' || arg === '--help') out.help = true;
    else if (arg === '--ready-file') out.readyFile = value();
    else if (arg === '--log-level') out.logLevel = value();
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return out;
}
