-- Shared by the stream scripts. A shard is: recs (member "<seq>|<json>" scored by seq), arr (member = seq
-- zero-padded to 16 digits, scored by arrival; the padding keeps equal arrivals in seq order) and next (how
-- many records were ever put; the next seq).

-- Drop records that arrived before now - retention (Kinesis/DynamoDB retention; AWS trims whatever is read).
local function trim(recs, arr, now, retention)
  local horizon = string.format('%.17g', now - retention)
  local expired = redis.call('ZRANGEBYSCORE', arr, '-inf', '(' .. horizon)
  for _, padded in ipairs(expired) do
    local seq = tonumber(padded)
    redis.call('ZREMRANGEBYSCORE', recs, seq, seq)
  end
  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', arr, '-inf', '(' .. horizon) end
end

local function latest(next_key)
  return tonumber(redis.call('GET', next_key) or '0') - 1
end
