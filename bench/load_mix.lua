-- wrk script for bench/load.py. Two modes (env LOAD_MODE):
--   hello: GET / on the bare Flask app.
--   views: page views only, GET /s/<token>, each on a distinct invitation token (a person opening
--     the link from the email: the survey's busiest request).
--   survey: a realistic mix on distinct invitation tokens; for each token in turn:
--     GET /s/<token> (the page view); then for 2 tokens in 3 also POST /s/<token> with valid
--     answers and that link's signed form field, and GET /s/<token>/thanks. Each token gets its own X-Forwarded-For address (a
--     distinct client behind the proxy), so per-client rate limits apply as in production.
-- done() prints one JSON line: latency percentiles, requests, per-status counts, posts and views
-- sent, requests sent in all (survey modes; those beyond the responses were in flight when wrk
-- stopped), and how many requests had to re-use a token because the list ran out (should be 0).
local mode = os.getenv("LOAD_MODE") or "hello"
local tokens, bodies = {}, {}
local cookie = os.getenv("LOAD_COOKIE") or ""
local ti = 0
posts = 0  -- globals: done() reads them through thread:get
views = 0
reused = 0
sent = 0
statuses = {}
local plan = {}

local function read_lines(path)
  local out = {}
  for line in io.lines(path) do out[#out + 1] = line end
  return out
end

function init(args)
  if mode == "survey" or mode == "views" then
    tokens = read_lines(os.getenv("LOAD_TOKENS"))
  end
  if mode == "survey" then
    bodies = read_lines(os.getenv("LOAD_BODIES"))
  end
end

local function next_token_steps()
  ti = ti + 1
  if ti > #tokens then return nil end
  -- each line: the token and its form's signed field (what the page view shows; see bench/load.py)
  local t, signature = tokens[ti]:match("^(%S+)%s+(%S+)$")
  local ip = string.format("10.%d.%d.%d", math.floor(ti / 65536) % 256, math.floor(ti / 256) % 256, ti % 256)
  local steps = {{"GET", "/s/" .. t, nil, ip}}
  if mode == "survey" and ti % 3 ~= 0 then
    local body = (bodies[(ti % #bodies) + 1]:gsub("__SIGNATURE__", signature))
    steps[#steps + 1] = {"POST", "/s/" .. t, body, ip}
    steps[#steps + 1] = {"GET", "/s/" .. t .. "/thanks", nil, ip}
  end
  return steps
end

function request()
  if mode == "hello" then return wrk.format("GET", "/") end
  if #plan == 0 then
    plan = next_token_steps()
    if plan == nil then
      reused = reused + 1
      plan = {{"GET", "/s/" .. tokens[1]:match("^(%S+)"), nil, "10.255.255.255"}}
    end
  end
  sent = sent + 1
  local step = table.remove(plan, 1)
  local headers = {["X-Forwarded-For"] = step[4], ["Cookie"] = cookie}
  if step[1] == "GET" and not step[2]:find("/thanks$") then views = views + 1 end
  if step[1] == "POST" then
    posts = posts + 1
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(step[1], step[2], headers, step[3])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local all_threads = {}
function setup(thread) all_threads[#all_threads + 1] = thread end

function done(summary, latency, requests)
  local counts, total_posts, total_views, total_reused, total_sent = {}, 0, 0, 0, 0
  for _, thread in ipairs(all_threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do counts[code] = (counts[code] or 0) + n end
    total_posts = total_posts + (thread:get("posts") or 0)
    total_views = total_views + (thread:get("views") or 0)
    total_reused = total_reused + (thread:get("reused") or 0)
    total_sent = total_sent + (thread:get("sent") or 0)
  end
  local parts = {}
  for code, n in pairs(counts) do parts[#parts + 1] = string.format('"%d": %d', code, n) end
  local e = summary.errors
  io.write(string.format(
    'LOADJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"socket_errors": %d, "statuses": {%s}, "posts": %d, "views": %d, "reused": %d, "sent": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, table.concat(parts, ", "), total_posts, total_views, total_reused, total_sent))
end
