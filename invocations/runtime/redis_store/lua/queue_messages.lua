-- Every message still in the queue, in send order (one consistent snapshot). KEYS: the queue's keys.
local q = queue_keys(0)
local out = {}
for _, id in ipairs(redis.call('ZRANGE', q.order, 0, -1)) do out[#out + 1] = describe(q, id) end
return out
