-- Shared by the queue scripts: the keys of one queue, and the moves a message makes between them.
-- A queue is: msg (id -> immutable JSON), order (id by send seq), vis (id by visible-at, every message),
-- wait/ready (standard queues only: hidden by visible-at / visible by send seq), infl (received ids by
-- visible-at), rc/first/hdl (receive count, first receive time, current receipt handle), grp, sqn,
-- sent/fseq (counters), dedup (FIFO dedup id -> message id) and dedupt (dedup id by send time).
local QUEUE_KEY_NAMES = {'msg', 'order', 'vis', 'wait', 'ready', 'infl', 'rc', 'first', 'hdl', 'grp', 'sqn',
                         'sent', 'fseq', 'dedup', 'dedupt'}

local function queue_keys(offset)
  local q = {}
  for i, name in ipairs(QUEUE_KEY_NAMES) do q[name] = KEYS[offset + i] end
  return q
end

-- The message as callers see it: {json, receive count, first receive time, receipt handle, sequence number}.
local function describe(q, id)
  return {redis.call('HGET', q.msg, id), redis.call('HGET', q.rc, id) or '0', redis.call('HGET', q.first, id) or '',
          redis.call('HGET', q.hdl, id) or '', redis.call('HGET', q.sqn, id) or ''}
end

local function forget(q, id)
  redis.call('HDEL', q.msg, id)
  for _, z in ipairs({q.order, q.vis, q.wait, q.ready, q.infl}) do redis.call('ZREM', z, id) end
  for _, h in ipairs({q.rc, q.first, q.hdl, q.grp, q.sqn}) do redis.call('HDEL', h, id) end
end

-- Hidden until `at` (a standard queue's receive moves it from wait to ready once `at` has passed).
local function hide_until(q, id, at, standard)
  redis.call('ZADD', q.vis, at, id)
  if standard then
    redis.call('ZREM', q.ready, id)
    redis.call('ZADD', q.wait, at, id)
  end
end

-- One receive of one message: new receipt handle, ApproximateReceiveCount + 1, hidden for `timeout`.
local function take(q, id, now, now_text, timeout, standard, handle_counter)
  local handle = id .. '#' .. redis.call('INCR', handle_counter)
  if redis.call('HINCRBY', q.rc, id, 1) == 1 then redis.call('HSET', q.first, id, now_text) end
  redis.call('HSET', q.hdl, id, handle)
  local at = now + timeout
  redis.call('ZADD', q.infl, at, id)
  hide_until(q, id, at, standard)
  return describe(q, id)
end

-- Redrive: the message keeps id, body and attributes; the DLQ's receive count starts over (a FIFO DLQ gives
-- it a new sequence number). Returns the message as it was before the move.
local function redrive(q, d, id, now, dlq_standard)
  local before = describe(q, id)
  local group = redis.call('HGET', q.grp, id)
  forget(q, id)
  redis.call('HSET', d.msg, id, before[1])
  redis.call('ZADD', d.order, redis.call('INCR', d.sent), id)
  hide_until(d, id, now, dlq_standard)
  if group then redis.call('HSET', d.grp, id, group) end
  local sqn = before[5]
  if sqn ~= '' then
    if not dlq_standard then sqn = string.format('%020d', redis.call('INCR', d.fseq)) end
    redis.call('HSET', d.sqn, id, sqn)
  end
  return before
end
