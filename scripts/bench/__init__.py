"""`make bench`: the service under wrk load, in-process references, reports/bench.{json,md,png}.

    python -m scripts.bench [--quick] [--out reports] [--rounds 3] [--duration 4]

See `runner.py` for what is measured and how, `report.py` for what the report says.
"""
