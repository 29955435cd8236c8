-- wrk script for `make loadtest`: each connection goes round LOADTEST_PATHS (space-separated; the
-- addresses are named once, in bench/loadtest.sh), and the run ends with requests/s, latency
-- percentiles and errors.
local paths = {}
for path in string.gmatch(os.getenv("LOADTEST_PATHS") or "", "%S+") do table.insert(paths, path) end
if #paths == 0 then error("set LOADTEST_PATHS to the addresses to load, e.g. LOADTEST_PATHS=\"/ /reconciliation/\"") end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local total_errors = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  io.write(string.format("\n== load test result: %s\n", os.getenv("LOADTEST_LABEL") or "mixed"))
  io.write(string.format("paths           %d (round robin)\n", #paths))
  io.write(string.format("requests        %d in %.1f s\n", summary.requests, seconds))
  io.write(string.format("requests/s      %.1f\n", summary.requests / seconds))
  io.write(string.format("latency p50     %.1f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("latency p90     %.1f ms\n", latency:percentile(90) / 1000))
  io.write(string.format("latency p99     %.1f ms\n", latency:percentile(99) / 1000))
  io.write(string.format("latency max     %.1f ms\n", latency.max / 1000))
  io.write(string.format(
    "errors          %d (connect %d, read %d, write %d, timeout %d, HTTP 4xx/5xx %d)\n",
    total_errors, errors.connect, errors.read, errors.write, errors.timeout, errors.status))
  local marker = io.open(os.getenv("LOADTEST_ERRORS_FILE") or "/dev/null", "a")
  if marker then marker:write(tostring(total_errors) .. "\n"); marker:close() end
  local rates = io.open(os.getenv("LOADTEST_RATES_FILE") or "/dev/null", "a")
  if rates then
    rates:write(string.format("%s %.1f\n", os.getenv("LOADTEST_LABEL") or "mixed", summary.requests / seconds))
    rates:close()
  end
end
