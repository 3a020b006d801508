-- ChangeMessageVisibility. KEYS: the queue's keys. ARGV: message id, receipt handle, visible-at, standard.
local q = queue_keys(0)
local id, at = ARGV[1], tonumber(ARGV[3])
if redis.call('HGET', q.hdl, id) ~= ARGV[2] then return 0 end
redis.call('ZADD', q.infl, at, id)
hide_until(q, id, at, ARGV[4] == '1')
return 1
