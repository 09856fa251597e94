# Rate limiter benchmark (a benchmark, not a test): cost per request, in-process vs Redis.
.PHONY: bench-ratelimit
bench-ratelimit: install ## reports/ratelimit_bench.{json,md}
	$(BIN)/python scripts/bench_ratelimit.py --redis "$${SPECSERVE_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
