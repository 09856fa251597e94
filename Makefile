# specserve — every entry point is a make target. See README.md.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# What `make serve` and `make model` use (never exported: tests see none of it).
SPECSERVE_MODEL_DIR ?= models
SPECSERVE_KEYS_FILE ?= var/api_keys.json
SPECSERVE_JWT_SECRET_FILE ?= var/jwt_secret
SERVE_ENV := SPECSERVE_MODEL_DIR=$(SPECSERVE_MODEL_DIR) SPECSERVE_KEYS_FILE=$(SPECSERVE_KEYS_FILE) \
	SPECSERVE_JWT_SECRET_FILE=$(SPECSERVE_JWT_SECRET_FILE)

.PHONY: help install serve test test-fast lint model clean ci-checks handler-stubs

# Each concern keeps its targets in mk/<concern>.mk and may append to:
#   TEST_DEPS  prerequisites of `make test` (e.g. node packages for SDK tests)
#   CI_CHECKS  checks `.ci/run` runs before the tests (e.g. generated-code drift)
TEST_DEPS :=
CI_CHECKS :=
.DEFAULT_GOAL := help
-include mk/*.mk

help: ## these targets, from their `##` comments
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | sort \
	  | awk 'BEGIN {FS = ":.*## "}; {printf "  %-24s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,gen,contract,bench]'
	touch $(STAMP)

install: $(STAMP) ## virtualenv with the pinned dependencies

model: install ## train the default model if it is missing (seconds)
	$(BIN)/python scripts/train_default_model.py --model-dir $(SPECSERVE_MODEL_DIR)

serve: model ## install, prepare the default model and a first key, serve on 127.0.0.1:8000
	@mkdir -p var
	@$(SERVE_ENV) $(BIN)/specserve init
	$(SERVE_ENV) exec $(BIN)/gunicorn -c gunicorn.conf.py

test: install $(TEST_DEPS) ## every test suite
	$(BIN)/pytest

test-fast: install $(TEST_DEPS) ## the in-process and unit tests, no live processes (well under a minute)
	$(BIN)/pytest -m "not slow"

ci-checks: install lint $(CI_CHECKS) ## what CI checks besides the tests

lint: install ## ruff on hand-written code, mypy on the service (pyproject.toml [tool.mypy])
	$(BIN)/ruff check specserve handlers scripts tests
	$(BIN)/ruff format --check specserve handlers scripts tests
	$(BIN)/mypy

handler-stubs: install ## write a 501 stub for each operation of the spec without a handler
	$(BIN)/python scripts/handler_stubs.py
	$(BIN)/ruff check handlers --select I --fix --quiet && $(BIN)/ruff format handlers --quiet

clean: ## remove the virtualenv, var/, reports/
	rm -rf $(VENV) var reports .pytest_cache
