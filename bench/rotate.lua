-- wrk script for the resilience load test: each request takes the next path of
-- JLI_PATHS (comma-separated), so one run exercises every page type; prints the same
-- machine-readable line as report.lua.
local paths = {}
for path in string.gmatch(os.getenv("JLI_PATHS") or "/", "[^,]+") do
  table.insert(paths, path)
end
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
end

local n = 0
request = function()
  n = n + 1
  local path = paths[((n + (offset or 0)) % #paths) + 1]
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "p50_us": %.0f, "p95_us": %.0f, ' ..
    '"max_us": %.0f, "connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, ' ..
    '"timeout": %.0f}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
