/**
 * A command's `extFields`: the typed request/response header flattened to a string map, keyed by the Java field
 * name (RemotingCommand.makeCustomHeaderToNet). Numbers are decimal strings, booleans `"true"`/`"false"`.
 * Decoders coerce JSON numbers and booleans (as ali-ons sends them) to these strings before anything reads them.
 */
export type ExtFields = Record<string, string>;
