// hand-written: `make generate` copies this file into generated/typescript-client/src/
// Logging of requests, retries and waits (`SPECSERVE_LOG=debug|info`, or the client's
// `logLevel` and `logger`). Lines name the method, the path, the status, the request id and
// the time taken; never a header, so never the key or a token.

/** Where log lines go: `console`, or any object with these methods (pino, winston, ...). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
}

/** `'debug'` and `'info'` log each request, retry and wait (at that level); `'off'` nothing. */
export type LogLevel = 'debug' | 'info' | 'off' | (string & {});

/** One log line's sink. */
export type Log = (message: string) => void;

const TO_STDERR: Logger = {
  debug: (message) => console.error(message),
  info: (message) => console.error(message),
};

/** The sink for a level and a logger, or undefined when nothing is logged. */
export function loggerFor(level: string | undefined, logger: Logger = TO_STDERR): Log | undefined {
  const name = (level ?? '').trim().toLowerCase();
  if (name !== 'debug' && name !== 'info') return undefined;
  return (message) => logger[name](`specserve: ${message}`);
}
