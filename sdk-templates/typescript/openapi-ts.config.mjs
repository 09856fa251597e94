// @hey-api/openapi-ts configuration for generated/typescript-client (`make generate-typescript-sdk`,
// run from the repository root). SPECSERVE_GEN_SPEC / SPECSERVE_GEN_OUT let the golden test run
// it on a fixture spec.
import { relative, resolve } from 'node:path';
import { defineConfig } from '@hey-api/openapi-ts';

const spec = process.env.SPECSERVE_GEN_SPEC ?? 'openapi/openapi.yaml';

/**
 * Open string enums: `'a' | 'b' | (string & {})`. A value the spec adds later (a new task, a
 * new health status) still type-checks in an SDK built today, and the known values still
 * autocomplete. The client never validates responses, so at run time the value passes as
 * is. (openapi-ts 0.95 has no option for this; its `enum` resolver is the documented hook.)
 * Request enums open too: the service rejects an unknown value with a 400.
 */
function openEnum({ $, nodes, ...ctx }) {
  const { enumMembers, isNullable } = nodes.items({ $, nodes, ...ctx });
  const strings = (ctx.schema.items ?? []).every((item) => item.type === 'string' || item.const === null);
  if (!strings || enumMembers.length === 0) return undefined;
  const open = [...enumMembers, $.type.and($.type('string'), $.type.object())];
  return $.type.or(...open, ...(isNullable ? [$.type('null')] : []));
}

export default defineConfig({
  input: resolve(spec),
  output: {
    path: resolve(process.env.SPECSERVE_GEN_OUT ?? 'generated/typescript-client/src/gen'),
    clean: true,
    // Node's ESM loader needs explicit extensions in the compiled output.
    module: { extension: '.js' },
    header: [`// generated from ${relative('.', resolve(spec))} by \`make generate\` — do not edit`],
  },
  logs: { file: false },
  plugins: [
    '@hey-api/client-fetch',
    { name: '@hey-api/typescript', '~resolvers': { enum: openEnum } },
    { name: '@hey-api/sdk', operations: { strategy: 'flat' } },
  ],
});
