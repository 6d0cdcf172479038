/**
 * An operator's operation refused what it was given (a missing file, a bad argument): the CLI
 * prints the message as it is, without a stack. Apart from operations.ts, so that the CLI can tell
 * it without loading every operation's modules.
 */
export class OperationError extends Error {}
