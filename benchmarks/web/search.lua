-- wrk script for the search API with a personal token: each request POSTs /api/v1/records/search with the next
-- family name from the file named by WRK_NAMES (one a line; each thread starts at a different place), sending
-- WRK_AUTH ("Bearer slt_...") as the Authorization header. Non-200 answers are counted and printed at the end with
-- the percentiles wrk's summary leaves out (as web/rotate.lua).
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  names = {}
  for line in io.lines(os.getenv("WRK_NAMES")) do
    if line ~= "" then names[#names + 1] = line end
  end
  i = (id * 7919) % #names
  bad = 0
  wrk.headers["Authorization"] = os.getenv("WRK_AUTH")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  i = i % #names + 1
  return wrk.format("POST", "/api/v1/records/search", nil, '{"familyName":"' .. names[i] .. '"}')
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
