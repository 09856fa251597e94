# Shippable SDK packages: a wheel and an sdist of the Python SDK, an `npm pack` tarball of the
# TypeScript SDK (its package.json's `build`: ESM in dist/, CommonJS in dist/cjs/, each with .d.ts).
# Each is built from a copy in a temporary folder, so nothing (build/, *.egg-info, node_modules, lockfiles) lands in generated/.
SDK_DIST ?= dist/sdk

.PHONY: sdk-dist

sdk-dist: install node-deps ## SDK packages -> $(SDK_DIST): wheel, sdist, npm tarball
	rm -rf $(SDK_DIST) && mkdir -p $(SDK_DIST)
	work=$$(mktemp -d) && trap 'rm -rf "$$work"' EXIT \
	  && cp -r generated/python-client "$$work/python" \
	  && $(BIN)/python -m build --sdist --wheel --outdir $(abspath $(SDK_DIST)) "$$work/python" >/dev/null \
	  && cp -r generated/typescript-client "$$work/typescript" && rm -rf "$$work/typescript/dist" \
	  && cd "$$work/typescript" \
	  && PATH="$(CURDIR)/$(NODE_BIN):$$PATH" npm run --silent build \
	  && npm pack --ignore-scripts --silent --pack-destination $(abspath $(SDK_DIST)) >/dev/null
	@ls -1 $(SDK_DIST)

# The seed document's evidence package (scripts/evidence.py): copies of the real files under
# the seed's names, MANIFEST.md mapping them, the built SDKs, the last test and bench reports.
EVIDENCE := evidence/protocol-21-api-integration

.PHONY: evidence

evidence: sdk-dist ## assemble $(EVIDENCE) from the real artifacts (after `make test`)
	$(BIN)/python scripts/evidence.py --out $(EVIDENCE) --reports reports --sdk-dist $(SDK_DIST)
