-- SendMessage. KEYS: the queue's keys. ARGV: id, json, now, visible_at, standard ('1'/'0'), group, dedup id,
-- dedup window. Returns {message id, '1' if it was a FIFO duplicate inside the window else '0'}.
local q = queue_keys(0)
local id, json, now, visible_at = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local standard, group, dedup, window = ARGV[5] == '1', ARGV[6], ARGV[7], tonumber(ARGV[8])
local sqn = nil
if not standard then
  -- Forget dedup ids older than the window (bounded work per send), then look this one up.
  local old = redis.call('ZRANGEBYSCORE', q.dedupt, '-inf', now - window, 'LIMIT', 0, 100)
  for _, d in ipairs(old) do
    if now - tonumber(redis.call('ZSCORE', q.dedupt, d)) >= window then
      redis.call('ZREM', q.dedupt, d)
      redis.call('HDEL', q.dedup, d)
    end
  end
  local seen_at = redis.call('ZSCORE', q.dedupt, dedup)
  if seen_at and now - tonumber(seen_at) < window then return {redis.call('HGET', q.dedup, dedup), '1'} end
  sqn = string.format('%020d', redis.call('INCR', q.fseq))
  redis.call('HSET', q.dedup, dedup, id)
  redis.call('ZADD', q.dedupt, ARGV[3], dedup)
end
redis.call('HSET', q.msg, id, json)
redis.call('ZADD', q.order, redis.call('INCR', q.sent), id)
hide_until(q, id, visible_at, standard)
if group ~= '' then redis.call('HSET', q.grp, id, group) end
if sqn then redis.call('HSET', q.sqn, id, sqn) end
return {id, '0'}
