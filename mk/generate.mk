# Code generation from the contract: lint it, then Pydantic models, Python and TypeScript
# SDKs, HTML docs and a Postman collection. Output is deterministic; `check-generated` fails
# when what is committed differs from what the spec generates.
#
# Hand-written SDK code (sdk-templates/python/lib/ -> specserve_client/lib/, the TypeScript
# src/*.ts and README.md) is copied with a "hand-written: copied from ..." header instead of
# the generator's "do not edit" one, which everything generated gets.
#
# GEN_SPEC / GEN_OUT / DOCS_OUT point the generators elsewhere (the golden test uses them).

GEN_SPEC  ?= openapi/openapi.yaml
GEN_OUT   ?= generated
DOCS_OUT  ?= docs
NODE_DIR  := sdk-templates
NODE_BIN  := $(NODE_DIR)/node_modules/.bin
NODE_STAMP := $(NODE_DIR)/node_modules/.installed
SDK_STAMP := $(VENV)/.sdk-installed
TS_SDK    := $(GEN_OUT)/typescript-client
WITH_VENV := PATH="$(CURDIR)/$(BIN):$$PATH"
POST      := $(BIN)/python scripts/postprocess_generated.py
export REDOCLY_TELEMETRY := off

.PHONY: generate lint-spec generate-models generate-python-sdk generate-typescript-sdk \
	generate-docs generate-postman check-generated node-deps sdk-deps update-golden

TEST_DEPS += node-deps sdk-deps
CI_CHECKS += check-generated

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: $(NODE_STAMP) ## pinned Node tools (redocly, openapi-ts, tsc, postman converter, playwright-core)

# The generated Python SDK, editable in the venv; the TypeScript SDK, compiled to ESM + .d.ts.
$(SDK_STAMP): $(STAMP) generated/python-client/setup.py
	$(BIN)/pip install --quiet -c constraints.txt -e generated/python-client
	touch $@

$(TS_SDK)/dist/index.js: $(NODE_STAMP) $(shell find $(TS_SDK)/src -name '*.ts' 2>/dev/null) $(TS_SDK)/tsconfig.json
	$(CURDIR)/$(NODE_BIN)/tsc -p $(TS_SDK)/tsconfig.json

sdk-deps: $(SDK_STAMP) $(TS_SDK)/dist/index.js ## install the Python SDK, build the TypeScript SDK

GENERATE_STEPS := lint-spec generate-models generate-python-sdk generate-typescript-sdk \
	generate-docs generate-postman
generate: $(GENERATE_STEPS) ## everything generated from the spec

# Redocly first (its errors carry the YAML line), then openapi-spec-validator and the access
# rules (specserve/startup.py: every operation that is not public names a defined scope),
# one line a problem.
V2_SPEC := openapi/inference-v2.yaml

lint-spec: install node-deps ## the contracts: Redocly (redocly.yaml), openapi-spec-validator, the scope rule
	$(NODE_BIN)/redocly lint --config redocly.yaml $(GEN_SPEC)
	$(NODE_BIN)/redocly lint --config redocly.yaml inference-v2
	$(BIN)/python -m specserve.startup --contract-only $(GEN_SPEC) $(V2_SPEC)

generate-models: install ## Pydantic v2 models -> $(GEN_OUT)/models.py
	@mkdir -p $(GEN_OUT)
	$(WITH_VENV) $(BIN)/datamodel-codegen --input $(GEN_SPEC) --input-file-type openapi \
	  --output-model-type pydantic_v2.BaseModel --openapi-scopes schemas paths \
	  --use-annotated --disable-timestamp --strict-nullable --enum-field-as-literal all \
	  --formatters ruff-format ruff-check \
	  --custom-file-header '# generated from $(GEN_SPEC) by `make generate` — do not edit' \
	  --output $(GEN_OUT)/models.py
	printf '%s\n' '"""Code generated from the contract (the runtime uses generated.models)."""' \
	  > $(GEN_OUT)/__init__.py
	$(POST) stamp --spec $(GEN_SPEC) $(GEN_OUT)/__init__.py

generate-python-sdk: install ## Python SDK -> $(GEN_OUT)/python-client (templates: sdk-templates/python; lib/ hand-written)
	rm -rf $(GEN_OUT)/python-client
	templates=$$(mktemp -d) && cp sdk-templates/python/*.jinja $$templates/ \
	  && $(BIN)/python scripts/spec_operations.py --spec $(GEN_SPEC) --jinja $$templates/spec_data.jinja \
	  && $(WITH_VENV) $(BIN)/openapi-python-client generate --path $(GEN_SPEC) \
	  --config sdk-templates/python/config.yaml --custom-template-path $$templates \
	  --output-path $(GEN_OUT)/python-client --meta setup --fail-on-warning; \
	  status=$$?; rm -rf $$templates; exit $$status
	cd $(GEN_OUT)/python-client && $(CURDIR)/$(BIN)/ruff check . --fix-only --quiet \
	  && $(CURDIR)/$(BIN)/ruff format . --quiet
	rm -rf $(GEN_OUT)/python-client/.ruff_cache
	$(POST) copy sdk-templates/python/lib/*.py $(GEN_OUT)/python-client/specserve_client/lib
	$(POST) stamp --spec $(GEN_SPEC) $(GEN_OUT)/python-client

generate-typescript-sdk: install node-deps ## TypeScript SDK -> $(TS_SDK) (client from scripts/typescript_client.py; `sdk-deps` builds)
	rm -rf $(TS_SDK)/src
	SPECSERVE_GEN_SPEC=$(GEN_SPEC) SPECSERVE_GEN_OUT=$(TS_SDK)/src/gen \
	  $(NODE_BIN)/openapi-ts -f sdk-templates/typescript/openapi-ts.config.mjs --silent
	$(POST) copy sdk-templates/typescript/src/*.ts $(TS_SDK)/src
	$(BIN)/python scripts/spec_operations.py --spec $(GEN_SPEC) --typescript $(TS_SDK)/src/operations.gen.ts
	$(BIN)/python scripts/typescript_client.py --spec $(GEN_SPEC) --out $(TS_SDK)/src/specserve.ts \
	  --package sdk-templates/typescript/package.json $(TS_SDK)/package.json
	$(POST) copy sdk-templates/typescript/README.md $(TS_SDK)
	cp sdk-templates/typescript/tsconfig.json $(TS_SDK)/
	$(POST) stamp --spec $(GEN_SPEC) $(TS_SDK)/src

generate-docs: install node-deps ## offline HTML references, with code samples -> $(DOCS_OUT)/api.html (/v1/docs), inference-v2.html (/v2/docs)
	@mkdir -p $(DOCS_OUT)
	$(MAKE) --no-print-directory _reference SAMPLES=code_samples SPEC=$(GEN_SPEC) PAGE=$(DOCS_OUT)/api.html
	$(MAKE) --no-print-directory _reference SAMPLES=inference_samples SPEC=$(V2_SPEC) \
	  PAGE=$(DOCS_OUT)/inference-v2.html
	test ! -f $(DOCS_OUT)/authentication.md \
	  || $(BIN)/python scripts/scope_table.py --spec $(GEN_SPEC) $(DOCS_OUT)/authentication.md

# One contract's page: a copy of SPEC with the samples of scripts/$(SAMPLES).py, rendered by
# Redocly, made offline-safe and stamped.
.PHONY: _reference
_reference:
	samples=$$(mktemp -d) \
	  && $(BIN)/python scripts/$(SAMPLES).py --spec $(SPEC) --out $$samples/openapi.yaml \
	  && $(NODE_BIN)/redocly build-docs $$samples/openapi.yaml --inlineBundle \
	  --openapi.disableTelemetry=true -o $(PAGE) >/dev/null; \
	  status=$$?; rm -rf $$samples; exit $$status
	$(POST) docs --spec $(SPEC) $(PAGE)

generate-postman: install node-deps ## Postman collection -> $(DOCS_OUT)/postman-collection.json
	@mkdir -p $(DOCS_OUT)
	for run in 1 2; do $(NODE_BIN)/openapi2postmanv2 -s $(GEN_SPEC) -o $(DOCS_OUT)/.postman-$$run.json \
	  -p -O folderStrategy=Tags,parametersResolution=Example >/dev/null || exit 1; done
	$(POST) postman --spec $(GEN_SPEC) $(DOCS_OUT)/.postman-1.json $(DOCS_OUT)/.postman-2.json \
	  $(DOCS_OUT)/postman-collection.json; status=$$?; rm -f $(DOCS_OUT)/.postman-?.json; exit $$status

check-generated: generate ## fail when the committed generated files differ from the spec's
	git add -N generated docs
	git diff --exit-code -- generated docs

GOLDEN := tests/fixtures/golden
GOLDEN_TARGETS := generate-models generate-python-sdk generate-typescript-sdk generate-postman

update-golden: ## regenerate the golden test's expectations from $(GOLDEN)/spec.yaml
	rm -rf $(GOLDEN)/expected
	$(MAKE) --no-print-directory GEN_SPEC=$(GOLDEN)/spec.yaml GEN_OUT=$(GOLDEN)/expected/generated \
	  DOCS_OUT=$(GOLDEN)/expected/docs $(GOLDEN_TARGETS)

# One model's typed client (`specserve models sdk`): from a running service (URL= API_KEY=)
# or the model store (MODEL_DIR=, default SPECSERVE_MODEL_DIR). LANG=python|typescript.
MODEL_SDK_LANG = $(if $(filter python typescript,$(LANG)),$(LANG),python)

.PHONY: model-sdk

model-sdk: install node-deps ## one model's typed client: make model-sdk NAME=loan LANG=python OUT=dir [URL= API_KEY= | MODEL_DIR=]
	@test -n "$(NAME)" -a -n "$(OUT)" || { echo "usage: make model-sdk NAME=model LANG=python|typescript OUT=dir" >&2; exit 2; }
	$(BIN)/specserve models sdk $(NAME) --lang $(MODEL_SDK_LANG) --out $(OUT) \
	  $(if $(VERSION),--version $(VERSION)) $(if $(URL),--url $(URL)) \
	  $(if $(API_KEY),--api-key $(API_KEY)) $(if $(MODEL_DIR),--model-dir $(MODEL_DIR))
