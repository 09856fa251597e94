-- wrk script for `make bench`: POSTs the JSON bodies of BENCH_BODIES (one per line) in turn
-- to the URL's path with the API key from BENCH_API_KEY, and prints one summary line as JSON.
local key = os.getenv("BENCH_API_KEY") or ""
local bodies = os.getenv("BENCH_BODIES")
local reqs = {}
local n = 0

function init(args)
  local headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = key }
  for line in io.lines(bodies) do
    reqs[#reqs + 1] = wrk.format("POST", nil, headers, line)
  end
end

function request()
  n = n % #reqs + 1
  return reqs[n]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"mean":%.1f,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
