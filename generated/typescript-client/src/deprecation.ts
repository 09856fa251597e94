// hand-written: copied from sdk-templates/typescript/src/deprecation.ts by `make generate`; edit it there, not here
// Deprecation the service announces (RFC 9745): a response with `Deprecation: @<unix seconds>`,
// maybe `Sunset: <HTTP-date>` (RFC 8594) and `Link: <url>; rel="deprecation"`, makes the
// client warn once per operation and process, as a Node `DeprecationWarning` (so
// `--no-deprecation` silences it and `--throw-deprecation` makes it fail); elsewhere
// `console.warn`.
import { OPERATIONS, type OperationId } from './operations.gen.js';

export const DEPRECATION_WARNING_CODE = 'SPECSERVE_DEPRECATED_OPERATION';

const warned = new Set<string>();

/** When the `Deprecation` header dates the deprecation (`@<unix seconds>`): that day. */
function since(value: string): string | undefined {
  const match = /^@(-?\d+)$/.exec(value.trim());
  return match ? new Date(Number(match[1]) * 1000).toISOString().slice(0, 10) : undefined;
}

/** The target of the `Link` header's `rel="deprecation"` entry, if any. */
export function deprecationLink(link: string | null): string | undefined {
  for (const entry of (link ?? '').split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(entry);
    if (match && /;\s*rel="?([^";]*\s)?deprecation(\s[^";]*)?"?\s*(;|$)/i.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

/** The warning's text: what is deprecated, since when, until when, where to read more. */
export function deprecationMessage(op: OperationId, headers: Headers): string {
  const { method, path } = OPERATIONS[op];
  const date = since(headers.get('deprecation') ?? '');
  const sunset = headers.get('sunset');
  const link = deprecationLink(headers.get('link'));
  return [
    `specserve: ${op} (${method} ${path}) is deprecated${date ? ` since ${date}` : ''}`,
    sunset ? `; it may stop working after ${sunset} (Sunset)` : '',
    link ? `; see ${link}` : '',
  ].join('');
}

/** Warn, once per operation, when a response says its operation is deprecated. */
export function warnIfDeprecated(op: OperationId, response: Response): void {
  if (!response.headers.has('deprecation') || warned.has(op)) return;
  warned.add(op);
  const message = deprecationMessage(op, response.headers);
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: object) => void } }).process;
  if (typeof proc?.emitWarning === 'function') {
    proc.emitWarning(message, { type: 'DeprecationWarning', code: DEPRECATION_WARNING_CODE });
  } else {
    console.warn(message);
  }
}
