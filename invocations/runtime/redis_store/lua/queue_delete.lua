-- DeleteMessage (one or a batch). KEYS: the queue's keys. ARGV: pairs of (message id, receipt handle).
-- Returns 1/0 per pair: 0 when the message is gone or the handle is stale (received again since).
local q = queue_keys(0)
local out = {}
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', q.hdl, id) == ARGV[i + 1] then
    forget(q, id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
