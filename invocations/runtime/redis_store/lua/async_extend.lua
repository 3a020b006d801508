-- Move the deadlines of claims that are still held (not acked, requeued or pushed again). ARGV: deadline,
-- request ids. Returns the request ids still claimed (the caller forgets the others).
local held = {}
for i = 2, #ARGV do
  if redis.call('ZSCORE', claimed, ARGV[i]) then
    redis.call('ZADD', claimed, ARGV[1], ARGV[i])
    held[#held + 1] = ARGV[i]
  end
end
return held
