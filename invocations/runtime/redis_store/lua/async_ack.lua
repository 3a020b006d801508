-- ack: claimed items are finished. ARGV: request ids. Returns 1/0 per id: 1 if it was claimed.
local out = {}
for i = 1, #ARGV do
  local rid = ARGV[i]
  if redis.call('ZSCORE', claimed, rid) == false then
    out[i] = 0
  else
    unclaim(rid)
    if redis.call('HEXISTS', members, rid) == 0 then redis.call('HDEL', items, rid) end
    out[i] = 1
  end
end
return out
