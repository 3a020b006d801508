-- release one or many slots. KEYS: counts, this holder's holdings. ARGV: the counter key of each slot.
-- A slot this holder no longer holds (reclaimed after a missed heartbeat) leaves the shared counter alone,
-- so a late release can never free somebody else's slot. Returns how many slots were released.
local counts, holdings = KEYS[1], KEYS[2]
local released = 0
for i = 1, #ARGV do
  local key = ARGV[i]
  local held = redis.call('HINCRBY', holdings, key, -1)
  if held <= 0 then redis.call('HDEL', holdings, key) end
  if held >= 0 then
    redis.call('HINCRBY', counts, key, -1)
    released = released + 1
  end
end
return released
