-- A holder is alive: record the server time. KEYS: heartbeats. ARGV: holder id.
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], t[1] + t[2] / 1000000, ARGV[1])
return 1
