-- wrk script for the page benchmarks: each request GETs the next path from the file named by WRK_URLS (one path a
-- line; each thread starts at a different place), sending the session cookie from WRK_COOKIE
-- or the Authorization header from WRK_AUTH. Any answer but 200
-- (a redirect to sign-in, a 404 for a record the user may not see) is counted and printed at the end, with the
-- latency percentiles wrk's own summary leaves out (p95).
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("WRK_URLS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  i = (id * 7919) % #paths
  bad = 0
  if os.getenv("WRK_COOKIE") then wrk.headers["Cookie"] = os.getenv("WRK_COOKIE") end
  -- The API with a personal token instead of a session: WRK_AUTH="Bearer slt_..."
  if os.getenv("WRK_AUTH") then wrk.headers["Authorization"] = os.getenv("WRK_AUTH") end
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests %d in %.1f s = %.1f req/s; latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms; "
      .. "non-200 %d; socket errors connect %d read %d write %d timeout %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non200, e.connect, e.read, e.write, e.timeout))
end
