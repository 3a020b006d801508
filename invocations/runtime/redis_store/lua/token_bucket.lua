-- take_token: a token bucket, full at start, refilled continuously, never above capacity. KEYS: the bucket.
-- ARGV: now (simulated seconds), capacity, tokens per second. Returns 1 if a token was taken, else 0.
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local now, capacity, rate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens, at = capacity, now end
tokens = math.min(capacity, tokens + (now - at) * rate)
local taken = 0
if tokens >= 1.0 then
  tokens = tokens - 1.0
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', ARGV[1])
return taken
