-- push(item, due) for one or many items. ARGV: triples of (request id, item JSON, due). Pushing an item again
-- (a retry) reschedules it and replaces its claim.
for i = 1, #ARGV, 3 do
  local rid = ARGV[i]
  schedule(rid, ARGV[i + 2])
  redis.call('HSET', items, rid, ARGV[i + 1])
  unclaim(rid)
end
return #ARGV / 3
