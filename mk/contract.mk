# Contract testing (README, "Contract testing"): `make test` runs schemathesis against a live
# service with a bounded example count; `make fuzz` runs the same suite for much longer.
FUZZ_EXAMPLES ?= 1000
ifeq ($(origin FUZZ_SEED), undefined)
FUZZ_SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif

.PHONY: fuzz

fuzz: install ## long schemathesis fuzz of a live service (FUZZ_EXAMPLES=1000, FUZZ_SEED=random)
	@echo "fuzz: $(FUZZ_EXAMPLES) examples per operation, seed $(FUZZ_SEED)"
	CONTRACT_EXAMPLES=$(FUZZ_EXAMPLES) CONTRACT_SEED=$(FUZZ_SEED) \
		$(BIN)/pytest tests/contract/test_schemathesis.py tests/contract/test_schemathesis_v2.py
