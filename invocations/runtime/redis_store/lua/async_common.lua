-- Shared by the async queue scripts. KEYS, always in this order:
--   1 due      zset  "<seq, 16 digits>:<request id>" by due time (the padded seq keeps equal dues in push order)
--   2 items    hash  request id -> item JSON
--   3 members  hash  request id -> its member in `due` (while pending)
--   4 claimed  zset  request id by claim deadline (wall seconds)
--   5 cdue     hash  request id -> the due time it was claimed at (where a redelivery goes back to)
--   6 seq      counter
--   7 redelivered counter
local due, items, members, claimed, cdue, seq_key, redelivered = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5],
  KEYS[6], KEYS[7]

local function schedule(rid, at)
  local old = redis.call('HGET', members, rid)
  if old then redis.call('ZREM', due, old) end
  local member = string.format('%016d', redis.call('INCR', seq_key)) .. ':' .. rid
  redis.call('ZADD', due, at, member)
  redis.call('HSET', members, rid, member)
end

local function unclaim(rid)
  redis.call('ZREM', claimed, rid)
  redis.call('HDEL', cdue, rid)
end
