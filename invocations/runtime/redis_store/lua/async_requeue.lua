-- requeue_expired(now): claims past their deadline (the worker died) go back to the queue at the due time they
-- were claimed at, and each is counted as a redelivery (at-least-once: the attempt may run twice).
-- ARGV: now (wall seconds). Returns the request ids put back.
local expired = redis.call('ZRANGEBYSCORE', claimed, '-inf', ARGV[1])
for _, rid in ipairs(expired) do
  schedule(rid, redis.call('HGET', cdue, rid))
  unclaim(rid)
end
if #expired > 0 then redis.call('INCRBY', redelivered, #expired) end
return expired
