-- wrk reports one line of JSON at the end of a run, for devtools/bench.py to read: request
-- count, duration, latency percentiles (microseconds) and errors. Responses with a status
-- of 400 or more count as errors ("status"); 3xx are fine (the floor is a redirect).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
      .. '"timeout": %d}\n',
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99)), latency.max, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
end
