# Rate limiter benchmark (a benchmark, not a test): cost per request, in-process vs Redis.
.PHONY: bench-ratelimit
bench-ratelimit: install ## reports/ratelimit_bench.{json,md}
	$(BIN)/python -m scripts.bench_ratelimit
