# specserve — every entry point is a make target. See README.md.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export SPECSERVE_MODEL_DIR ?= models
export SPECSERVE_KEYS_FILE ?= var/api_keys.json
export SPECSERVE_JWT_SECRET_FILE ?= var/jwt_secret

.PHONY: install serve test lint model clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## virtualenv with the pinned dependencies

model: install ## train the default model if it is missing (seconds)
	$(BIN)/python scripts/train_default_model.py --model-dir $(SPECSERVE_MODEL_DIR)

serve: model ## install, prepare the default model and a first key, serve on 127.0.0.1:8000
	@mkdir -p var
	@$(BIN)/specserve init
	exec $(BIN)/gunicorn -c gunicorn.conf.py

test: install ## every test suite
	$(BIN)/pytest

lint: install ## ruff on hand-written code
	$(BIN)/ruff check specserve handlers scripts tests
	$(BIN)/ruff format --check specserve handlers scripts tests

clean:
	rm -rf $(VENV) var reports .pytest_cache
