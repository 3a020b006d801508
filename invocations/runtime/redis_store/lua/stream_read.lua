-- Reads after trimming expired records. KEYS: recs, arr, next. ARGV: op, now, retention, then per op:
--   'read' after_seq limit -> the members of up to `limit` records with seq > after_seq, in order
--   'horizon'              -> a cursor before the oldest unexpired record (TRIM_HORIZON)
--   'at' timestamp         -> a cursor before the first record that arrived at or after timestamp (AT_TIMESTAMP)
trim(KEYS[1], KEYS[2], tonumber(ARGV[2]), tonumber(ARGV[3]))
local op = ARGV[1]
if op == 'read' then
  return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[4], '+inf', 'LIMIT', 0, tonumber(ARGV[5]))
end
local first
if op == 'horizon' then
  first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
else
  first = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[4], '+inf', 'LIMIT', 0, 1)[1]
end
if first then return tonumber(first) - 1 end
return latest(KEYS[3])
