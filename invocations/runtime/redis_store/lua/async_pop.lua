-- pop_due(now, limit): claim up to `limit` items due at or before now, earliest first. ARGV: now, limit,
-- claim deadline. Claimed items move to `claimed` until ack, a new push, or requeue_expired after the deadline.
local picked = redis.call('ZRANGEBYSCORE', due, '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #picked, 2 do
  local member = picked[i]
  local rid = string.sub(member, 18)
  redis.call('ZREM', due, member)
  redis.call('HDEL', members, rid)
  redis.call('ZADD', claimed, ARGV[3], rid)
  redis.call('HSET', cdue, rid, picked[i + 1])
  out[#out + 1] = redis.call('HGET', items, rid)
end
return out
