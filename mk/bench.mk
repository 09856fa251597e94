# `make bench`: the service under wrk load in its production configuration, with in-process
# references; writes reports/bench.{json,md,png}. See scripts/bench/ and README "Performance".
# BENCH_ARGS: e.g. `--rounds 5 --duration 6`, or `--quick` for a seconds-long smoke.
# `make bench-typed`: only the named, typed features part (reports/bench_typed.{json,md});
# `make bench-v2`: only the Open Inference Protocol part (reports/bench_v2.{json,md});
# `make bench-predlog`: only the prediction log's cost (reports/bench_predlog.{json,md});
# `make bench-rollout`: only a shadow version's cost (reports/bench_rollout.{json,md}).
BENCH_ARGS ?=

.PHONY: bench bench-typed bench-v2 bench-predlog bench-rollout bench-wrk

bench: model bench-wrk ## benchmark reports in reports/ (about 10 minutes; needs wrk)
	$(BIN)/python -m scripts.bench --out reports $(BENCH_ARGS)

bench-typed: model ## named vs positional, a mixed-type pipeline, a named batch: in process, no wrk (30 s)
	$(BIN)/python -m scripts.bench --only typed --out reports $(BENCH_ARGS)

bench-v2: model ## V2 infer vs /v1/predict CPU, a [100, k] infer's model calls: in process, no wrk (30 s)
	$(BIN)/python -m scripts.bench --only v2 --out reports $(BENCH_ARGS)

bench-predlog: model ## CPU per /v1/predict with the prediction log's file sink on vs off: in process, no wrk (30 s)
	$(BIN)/python -m scripts.bench --only predlog --out reports $(BENCH_ARGS)

bench-rollout: model ## a shadow's extra CPU vs one model call, client wall time with a slow shadow: in process, no wrk (30 s)
	$(BIN)/python -m scripts.bench --only rollout --out reports $(BENCH_ARGS)

bench-wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "make bench needs wrk: apt-get install -y wrk (Debian/Ubuntu; as root or with sudo)"; \
	  exit 1; }
