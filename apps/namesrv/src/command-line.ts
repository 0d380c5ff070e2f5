/**
 * `mqnamesrv` command line, as RocketMQ's NamesrvStartup reads it: `-c <file>` loads a properties file, `-p`
 * prints the effective configuration and exits, `-h` prints usage. Ours adds `--ready-file <path>` (tests) and
 * `--log-level`.
 */
export interface NamesrvCommandLine {
  configFile?: string;
  printConfig: boolean;
  help: boolean;
  readyFile?: string;
  logLevel?: string;
}

/** Usage text printed by `-h`. */
export const USAGE = `usage: mqnamesrv [-c <file>] [-p] [-h] [--ready-file <path>] [--log-level debug|info|warn|error]
  -c, --configFile <file>   NameServer config file (properties: listenPort, kvConfigPath, orderMessageEnable, ...)
  -p, --printConfigItem     print all config items and exit
  -h, --help                print this help and exit
      --ready-file <path>   write {"pid","listenPort"} here once listening (temp file, then rename)
      --log-level <level>   debug, info (default), warn or error
config keys: listenPort (9876), bindAddress (0.0.0.0), kvConfigPath (~/namesrv/kvConfig.json), orderMessageEnable,
  returnOrderTopicConfigToBroker, scanNotActiveBrokerInterval`;

/** Parses argv (without node and the script). Throws Error with a usage hint on unknown flags. */
export function parseCommandLine(argv: readonly string[]): NamesrvCommandLine {
  const out: NamesrvCommandLine = { printConfig: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '-c' || arg === '--configFile') out.configFile = value();
    else if (arg === '-p' || arg === '--printConfigItem') out.printConfig = true;
    else if (arg === '-h' || arg === '--help') out.help = true;
    else if (arg === '--ready-file') out.readyFile = value();
    else if (arg === '--log-level') out.logLevel = value();
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return out;
}
