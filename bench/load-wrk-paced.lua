-- wrk at a fixed arrival rate (VOR_RATE requests/s over all connections), for bench/load.ts to
-- compare the open model's percentiles with wrk's at the same rate. Each request takes the next
-- slot of one shared schedule and waits for it (wrk's delay() hook, whole milliseconds).
-- wrk still times each request from its actual send, so its figures are a lower bound.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } vor_timespec;
int clock_gettime(int clk_id, vor_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("vor_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval = 1000 / tonumber(os.getenv("VOR_RATE"))
local due = nil

function delay()
  local t = now_ms()
  if due == nil then due = t end
  due = due + interval
  local wait = due - t
  if wait < 0 then return 0 end
  return wait
end
