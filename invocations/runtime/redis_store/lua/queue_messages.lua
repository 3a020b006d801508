-- The messages still in the queue, in send order (one consistent snapshot). KEYS: the queue's keys.
-- ARGV[1] (optional): at most this many, the oldest first.
local q = queue_keys(0)
local stop = -1
if ARGV[1] then stop = tonumber(ARGV[1]) - 1 end
local out = {}
for _, id in ipairs(redis.call('ZRANGE', q.order, 0, stop)) do out[#out + 1] = describe(q, id) end
return out
