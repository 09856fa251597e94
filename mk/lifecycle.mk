# The contract's life after a release (docs/versioning.md): `breaking` compares
# openapi/openapi.yaml with the last released contract (openapi/released/X.Y.Z.yaml) using
# our rules and the npm openapi-diff, and checks info.version and CHANGELOG.md; `release`
# sets info.version, writes the CHANGELOG.md section and the snapshot, and regenerates.
LIFECYCLE := $(BIN)/python -m scripts.lifecycle --openapi-diff $(NODE_BIN)/openapi-diff

.PHONY: breaking release

CI_CHECKS += breaking

breaking: install node-deps ## fail on a contract change the version and CHANGELOG.md do not cover
	@$(LIFECYCLE) check

release: install node-deps ## release the contract: make release VERSION=X.Y.Z (then commit and tag vX.Y.Z)
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=X.Y.Z" >&2; exit 2; }
	@$(LIFECYCLE) release --version $(VERSION)
	$(MAKE) --no-print-directory generate
