-- wrk script: print one machine-readable line with the figures bench/run.py reads.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "p50_us": %.0f, "p95_us": %.0f, ' ..
    '"max_us": %.0f, "connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, ' ..
    '"timeout": %.0f}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
