-- wrk script for the page and API benchmarks: each request takes the next line of the file named by WRK_URLS (one a
-- line; each thread starts at a different place) and GETs it as a path, or, with WRK_POST set, POSTs to that path the
-- JSON WRK_BODY with its "%s" replaced by the line (benchmarks/api-search-benchmark.sh: family names into
-- '{"familyName":"%s"}'). It sends the session cookie from WRK_COOKIE or the Authorization header from WRK_AUTH.
-- Any answer but 200 (a redirect to sign-in, a 404 for a record the user may not see) is counted and printed at the
-- end, with the latency percentiles wrk's own summary leaves out (p95).
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
  post = os.getenv("WRK_POST")
  if post then
    local body = os.getenv("WRK_BODY")
    local from, to = body:find("%s", 1, true)
    before, after = body:sub(1, from - 1), body:sub(to + 1)
    wrk.headers["Content-Type"] = "application/json"
  end
end

function request()
  i = i % #paths + 1
  if post then return wrk.format("POST", post, nil, before .. paths[i] .. after) end
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
