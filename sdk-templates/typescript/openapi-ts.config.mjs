// @hey-api/openapi-ts configuration for generated/typescript-client (`make generate-typescript-sdk`,
// run from the repository root). SPECSERVE_GEN_SPEC / SPECSERVE_GEN_OUT let the golden test run
// it on a fixture spec.
import { relative, resolve } from 'node:path';
import { defineConfig } from '@hey-api/openapi-ts';

const spec = process.env.SPECSERVE_GEN_SPEC ?? 'openapi/openapi.yaml';

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
    '@hey-api/typescript',
    { name: '@hey-api/sdk', operations: { strategy: 'flat' } },
  ],
});
