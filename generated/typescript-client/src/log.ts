// hand-written: copied from sdk-templates/typescript/src/log.ts by `make generate`; edit it there, not here
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

const LEVELS = ['debug', 'info', 'off', ''];
let warned = false;

/** Refuse a `logLevel` that is not one (a typo should not silently log nothing). */
export function checkLogLevel(level: string | undefined): void {
  if (level !== undefined && !LEVELS.includes(level.trim().toLowerCase())) {
    throw new TypeError(`specserve: logLevel '${level}' is not a log level: use 'debug', 'info' or 'off'`);
  }
}

/** The sink for a level and a logger, or undefined when nothing is logged. An unknown
 * `$SPECSERVE_LOG` (`fromEnv`) warns once rather than stop a program over its environment. */
export function loggerFor(level: string | undefined, logger: Logger = TO_STDERR, fromEnv = false): Log | undefined {
  const name = (level ?? '').trim().toLowerCase();
  if (name !== 'debug' && name !== 'info') {
    if (fromEnv && !LEVELS.includes(name) && !warned) {
      warned = true;
      console.warn(`specserve: SPECSERVE_LOG='${level}' is not a log level: use debug, info or off; nothing is logged`);
    }
    return undefined;
  }
  return (message) => logger[name](`specserve: ${message}`);
}
