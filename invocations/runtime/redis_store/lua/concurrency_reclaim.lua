-- Give back every slot of one holder whose heartbeat is older than ttl seconds (checked again here, so a
-- holder that beat since the caller looked is left alone). KEYS: counts, the holder's holdings, heartbeats.
-- ARGV: holder id, ttl. Returns {0} if it is alive (or gone), else {1, key, n, key, n, ...}: the slots given back.
local counts, holdings, beats = KEYS[1], KEYS[2], KEYS[3]
local beat = redis.call('ZSCORE', beats, ARGV[1])
local t = redis.call('TIME')
if not beat or tonumber(beat) >= t[1] + t[2] / 1000000 - tonumber(ARGV[2]) then return {0} end
local held = redis.call('HGETALL', holdings)
for i = 1, #held, 2 do redis.call('HINCRBY', counts, held[i], -tonumber(held[i + 1])) end
redis.call('DEL', holdings)
redis.call('ZREM', beats, ARGV[1])
table.insert(held, 1, 1)
return held
