-- try_acquire for one or many invocations, atomically. KEYS: counts (hash key -> in use), this holder's
-- holdings (hash key -> held), heartbeats (zset holder -> last beat, server time). ARGV: holder id, then
-- four per request: pc key ('' = none), pc cap, pool key, pool cap. Returns a grant per request:
-- 2 provisioned, 1 on-demand, 0 throttled (semantics §8: Lambda rejects, it does not queue).
local counts, holdings, beats = KEYS[1], KEYS[2], KEYS[3]
local t = redis.call('TIME')
redis.call('ZADD', beats, t[1] + t[2] / 1000000, ARGV[1])  -- acquiring proves the holder is alive
local grants = {}
for i = 2, #ARGV, 4 do
  local pc, pool = ARGV[i], ARGV[i + 2]
  local key, grant = nil, 0
  if pc ~= '' and tonumber(redis.call('HGET', counts, pc) or '0') < tonumber(ARGV[i + 1]) then
    key, grant = pc, 2
  elseif tonumber(redis.call('HGET', counts, pool) or '0') < tonumber(ARGV[i + 3]) then
    key, grant = pool, 1
  end
  if key then
    redis.call('HINCRBY', counts, key, 1)
    redis.call('HINCRBY', holdings, key, 1)  -- so a dead holder's slots can be given back
  end
  grants[#grants + 1] = grant
end
return grants
