# The contract's life after a release (docs/versioning.md): `breaking` compares
# openapi/openapi.yaml with the last released contract (openapi/released/X.Y.Z.yaml) using
# our rules and the npm openapi-diff, and checks info.version and CHANGELOG.md; `release`
# sets info.version, writes the CHANGELOG.md section and the snapshot, and regenerates.
# The Open Inference Protocol's contract (openapi/inference-v2.yaml) has the same life, its
# releases in openapi/released/inference-v2/ with their own CHANGELOG.md (`release-v2`).
LIFECYCLE := $(BIN)/python -m scripts.lifecycle --openapi-diff $(NODE_BIN)/openapi-diff

.PHONY: breaking release release-v2

CI_CHECKS += breaking

V2_LAYOUT := --spec openapi/inference-v2.yaml --released openapi/released/inference-v2 \
	--changelog openapi/released/inference-v2/CHANGELOG.md --target release-v2

breaking: install node-deps ## fail on a contract change the version and changelog do not cover (both contracts)
	@$(LIFECYCLE) check
	@$(LIFECYCLE) check $(V2_LAYOUT)

release: install node-deps ## release the contract: make release VERSION=X.Y.Z (then commit and tag vX.Y.Z)
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=X.Y.Z" >&2; exit 2; }
	@$(LIFECYCLE) release --version $(VERSION)
	$(MAKE) --no-print-directory generate

release-v2: install node-deps ## release the Open Inference Protocol's contract: make release-v2 VERSION=X.Y.Z
	@test -n "$(VERSION)" || { echo "usage: make release-v2 VERSION=X.Y.Z" >&2; exit 2; }
	@$(LIFECYCLE) release --version $(VERSION) $(V2_LAYOUT)
	$(MAKE) --no-print-directory generate
