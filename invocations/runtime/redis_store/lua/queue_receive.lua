-- ReceiveMessage. KEYS: the queue's keys, the DLQ's keys (or the queue's again), the receipt-handle counter.
-- ARGV: max messages, now, visibility timeout, standard ('1'/'0'), max receive count ('' = no redrive),
-- DLQ standard ('1'/'0'). Returns {taken, redriven}, each a list of described messages.
local q = queue_keys(0)
local d = queue_keys(#QUEUE_KEY_NAMES)
local handle_counter = KEYS[2 * #QUEUE_KEY_NAMES + 1]
local max, now_text = tonumber(ARGV[1]), ARGV[2]
local now, timeout, standard = tonumber(now_text), tonumber(ARGV[3]), ARGV[4] == '1'
local max_receives, dlq_standard = tonumber(ARGV[5]), ARGV[6] == '1'
local taken, redriven = {}, {}

local function serve(id)
  if max_receives and tonumber(redis.call('HGET', q.rc, id) or '0') >= max_receives then
    redriven[#redriven + 1] = redrive(q, d, id, now, dlq_standard)
  else
    taken[#taken + 1] = take(q, id, now, now_text, timeout, standard, handle_counter)
  end
end

if standard then
  -- Everything whose time has come becomes ready; ready messages are served in send order.
  local due = redis.call('ZRANGEBYSCORE', q.wait, '-inf', now_text)
  for _, id in ipairs(due) do redis.call('ZADD', q.ready, redis.call('ZSCORE', q.order, id), id) end
  if #due > 0 then redis.call('ZREMRANGEBYSCORE', q.wait, '-inf', now_text) end
  while #taken < max do
    local popped = redis.call('ZPOPMIN', q.ready, max - #taken)
    if #popped == 0 then break end
    for i = 1, #popped, 2 do
      local id = popped[i]
      local at = tonumber(redis.call('ZSCORE', q.vis, id))
      if at > now then
        redis.call('ZADD', q.wait, at, id)  -- a caller with an earlier clock: not visible to it yet
      else
        serve(id)
      end
    end
  end
else
  -- FIFO: scan in send order. A group with a message in flight is locked, and so is a group whose head is
  -- still hidden, so a group is only ever served from its head.
  local locked = {}
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', q.infl, '(' .. now_text, '+inf')) do
    locked[redis.call('HGET', q.grp, id)] = true
  end
  local cursor = '-inf'
  while #taken < max do
    local chunk = redis.call('ZRANGEBYSCORE', q.order, cursor, '+inf', 'WITHSCORES', 'LIMIT', 0, 256)
    if #chunk == 0 then break end
    for i = 1, #chunk, 2 do
      if #taken >= max then break end
      local id = chunk[i]
      local group = redis.call('HGET', q.grp, id)
      if not locked[group] then
        if tonumber(redis.call('ZSCORE', q.vis, id)) > now then
          locked[group] = true
        else
          serve(id)
        end
      end
    end
    cursor = '(' .. chunk[#chunk]
  end
end
return {taken, redriven}
