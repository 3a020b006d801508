-- PutRecord. KEYS: recs, arr, next. ARGV: record JSON, arrival (now), retention. Returns the record's seq;
-- INCR inside the script keeps seqs strictly increasing per shard whatever the number of writers.
trim(KEYS[1], KEYS[2], tonumber(ARGV[2]), tonumber(ARGV[3]))
local seq = redis.call('INCR', KEYS[3]) - 1
redis.call('ZADD', KEYS[1], seq, seq .. '|' .. ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], string.format('%016d', seq))
return seq
