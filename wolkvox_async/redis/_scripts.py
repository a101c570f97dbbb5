"""The Lua scripts that decide on the Redis server, atomically, by Redis's own clock.

Every decision about a token's slots is one script: the grant happens where
the state is, so no two processes can both see a free slot and take it, and
hosts' clocks never matter (``TIME``). A token's keys (``KEYS``):

1. ``state``: a hash of ``epoch`` (a name for this copy of the state: a
   different one means Redis lost it), ``fence`` (no grant before this
   instant), ``seq`` (arrival numbers) and ``streak`` (interactive grants in
   a row while bulk waits);
2. ``leases``: a sorted set of slot holders, scored by when the lease
   expires;
3. and 4. the interactive and bulk lanes: sorted sets of waiters, scored by
   arrival (negative for calls put back at the head);
5. ``nodes``: a hash of each node (an event loop of a process) to when it
   stops counting as alive; a dead node's waiters are skipped, not granted.

Waiter and lease ids are ``"<node>:<n>"``. A grant to another node's waiter
is pushed on that node's wake list (``<prefix>:wake:<node>``), which it
reads with a blocking pop. Every token script answers
``{status, epoch, score, granted...}``: ``granted`` are the caller's own
waiters this script granted, which get no push.
"""

from __future__ import annotations

from typing import Final

NAMES: Final = (
    "ACQUIRE", "RELEASE", "ABANDON", "HEARTBEAT", "REQUEUE",
    "QUOTA_TAKE", "QUOTA_REFUND", "QUOTA_SPEND", "QUOTA_ADD", "QUOTA_RAISE",
)  # fmt: skip

_PRELUDE: Final = """
local state, leases, nodes = KEYS[1], KEYS[2], KEYS[5]
local lanes = {KEYS[3], KEYS[4]}
local wake_prefix, limit, lease_ms = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local node, node_ttl, share = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local lane_ttl = math.max(node_ttl * 10, 60000)
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local epoch = redis.call('HGET', state, 'epoch')
if not epoch then
  -- A new or lost state: requests sent under the old one may still be in flight.
  -- No grant until every live node has had a heartbeat to re-assert its leases.
  epoch = ARGV[5]
  redis.call('HSET', state, 'epoch', epoch, 'fence', now + tonumber(ARGV[4]), 'seq', 0, 'streak', 0)
end

local function hold(id)
  redis.call('ZADD', leases, now + lease_ms, id)
  redis.call('PEXPIRE', leases, lease_ms + 1000)
end

local function alive(owner)
  if owner == node then return true end
  local until_ms = redis.call('HGET', nodes, owner)
  return until_ms ~= false and tonumber(until_ms) > now
end

local function grant()
  local mine = {}
  if tonumber(redis.call('HGET', state, 'fence')) > now then return mine end
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  while redis.call('ZCARD', leases) < limit do
    local waiting_i, waiting_b = redis.call('ZCARD', lanes[1]), redis.call('ZCARD', lanes[2])
    if waiting_i + waiting_b == 0 then break end
    local streak = tonumber(redis.call('HGET', state, 'streak'))
    local lane = 2
    if waiting_i > 0 and (waiting_b == 0 or streak < share) then lane = 1 end
    local id = redis.call('ZRANGE', lanes[lane], 0, 0)[1]
    redis.call('ZREM', lanes[lane], id)
    local owner = string.match(id, '^[^:]+')
    if alive(owner) then
      hold(id)
      if lane == 1 and waiting_b > 0 then streak = streak + 1 else streak = 0 end
      redis.call('HSET', state, 'streak', streak)
      if owner == node then
        mine[#mine + 1] = id
      else
        local wake = wake_prefix .. owner
        redis.call('RPUSH', wake, id)
        redis.call('PEXPIRE', wake, lane_ttl)
      end
    elseif lane == 2 and waiting_b == 1 then
      redis.call('HSET', state, 'streak', 0)
    end
  end
  return mine
end

local function answer(status, score, granted)
  return {status, epoch, score, unpack(granted)}
end
"""

ACQUIRE: Final = (
    _PRELUDE
    + """
-- ARGV[9] id, ARGV[10] lane (1 interactive, 2 bulk), ARGV[11] '1' to go to the head of the lane
redis.call('HSET', nodes, node, now + node_ttl)
local id, lane = ARGV[9], tonumber(ARGV[10])
if tonumber(redis.call('HGET', state, 'fence')) <= now
    and redis.call('ZCARD', lanes[1]) + redis.call('ZCARD', lanes[2]) == 0 then
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  if redis.call('ZCARD', leases) < limit then
    hold(id)
    return answer(1, 0, {})
  end
end
local score = redis.call('HINCRBY', state, 'seq', 1)
if ARGV[11] == '1' then score = -score end
redis.call('ZADD', lanes[lane], score, id)
redis.call('PEXPIRE', lanes[lane], lane_ttl)
local others, status = {}, 0
for _, granted in ipairs(grant()) do
  if granted == id then status = 1 else others[#others + 1] = granted end
end
return answer(status, score, others)
"""
)

RELEASE: Final = (
    _PRELUDE
    + """
-- ARGV[9...] the ids to give back: leases, or waiters that could not leave their lane before
for i = 9, #ARGV do
  redis.call('ZREM', leases, ARGV[i])
  redis.call('ZREM', lanes[1], ARGV[i])
  redis.call('ZREM', lanes[2], ARGV[i])
end
if redis.call('ZCARD', lanes[2]) == 0 then redis.call('HSET', state, 'streak', 0) end
return answer(0, 0, grant())
"""
)

ABANDON: Final = (
    _PRELUDE
    + """
-- ARGV[9] id, ARGV[10] lane: a waiter leaves; a slot granted to it meanwhile is passed on
local id, lane = ARGV[9], tonumber(ARGV[10])
if redis.call('ZREM', lanes[lane], id) == 1 then
  if lane == 2 and redis.call('ZCARD', lanes[2]) == 0 then redis.call('HSET', state, 'streak', 0) end
  return answer(0, 0, {})
end
if redis.call('ZREM', leases, id) == 1 then return answer(0, 0, grant()) end
return answer(0, 0, {})
"""
)

HEARTBEAT: Final = (
    _PRELUDE
    + """
-- ARGV[9] n, ARGV[10 .. 9+n] the leases this node holds (renewed, re-added if Redis lost them),
-- then ids to give back (releases that failed before).
-- Answers {lapsed, epoch, missing, mine}: lapsed if this node had stopped counting as alive
-- (its waiters may have been dropped), missing the held leases Redis did not have (lost, or
-- released since the node sent this list: the node gives those back again), mine every live lease
-- Redis has for this node.
local before = redis.call('HGET', nodes, node)
local lapsed = 0
if before == false or tonumber(before) <= now then lapsed = 1 end
redis.call('HSET', nodes, node, now + node_ttl)
local held, missing = tonumber(ARGV[9]), {}
for i = 10, 9 + held do
  local expiry = redis.call('ZSCORE', leases, ARGV[i])
  if expiry == false or tonumber(expiry) <= now then missing[#missing + 1] = ARGV[i] end
  hold(ARGV[i])
end
for i = 10 + held, #ARGV do
  redis.call('ZREM', leases, ARGV[i])
  redis.call('ZREM', lanes[1], ARGV[i])
  redis.call('ZREM', lanes[2], ARGV[i])
end
for _, lane in ipairs(lanes) do
  if redis.call('EXISTS', lane) == 1 then redis.call('PEXPIRE', lane, lane_ttl) end
end
local all = redis.call('HGETALL', nodes)
for i = 1, #all, 2 do
  if tonumber(all[i + 1]) < now - lane_ttl then redis.call('HDEL', nodes, all[i]) end
end
grant()
local mine, own = {}, node .. ':'
for _, id in ipairs(redis.call('ZRANGEBYSCORE', leases, '(' .. now, '+inf')) do
  if string.sub(id, 1, #own) == own then mine[#mine + 1] = id end
end
return {lapsed, epoch, missing, mine}
"""
)

REQUEUE: Final = (
    _PRELUDE
    + """
-- ARGV[9...] triples (id, lane, score): this node's waiters, put back where they were
-- (after Redis lost them, or dropped them while this node seemed dead), unless already granted.
local seq = tonumber(redis.call('HGET', state, 'seq'))
for i = 9, #ARGV, 3 do
  local id, score = ARGV[i], tonumber(ARGV[i + 2])
  if redis.call('ZSCORE', leases, id) == false then
    redis.call('ZADD', lanes[tonumber(ARGV[i + 1])], 'NX', score, id)
    redis.call('PEXPIRE', lanes[tonumber(ARGV[i + 1])], lane_ttl)
  end
  seq = math.max(seq, math.abs(score))
end
redis.call('HSET', state, 'seq', seq)
return answer(0, 0, grant())
"""
)

QUOTA_TAKE: Final = """
-- KEYS[1] the day's count; ARGV[1] the ceiling (-1: none), ARGV[2] how long the count is kept (ms)
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local spent = redis.call('HGET', KEYS[1], 'spent') == '1' and 1 or 0
local ceiling = tonumber(ARGV[1])
if spent == 1 or (ceiling >= 0 and used >= ceiling) then return {0, used, spent} end
used = redis.call('HINCRBY', KEYS[1], 'used', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, used, 0}
"""

QUOTA_REFUND: Final = """
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
if used > 0 then used = redis.call('HINCRBY', KEYS[1], 'used', -1) end
return {1, used, redis.call('HGET', KEYS[1], 'spent') == '1' and 1 or 0}
"""

QUOTA_SPEND: Final = """
redis.call('HSET', KEYS[1], 'spent', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, tonumber(redis.call('HGET', KEYS[1], 'used') or '0'), 1}
"""

QUOTA_RAISE: Final = """
-- ARGV[1] the server's own count of today's calls: taken if higher than ours
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local server = tonumber(ARGV[1])
if server > used then
    redis.call('HSET', KEYS[1], 'used', server)
    used = server
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, used, redis.call('HGET', KEYS[1], 'spent') == '1' and 1 or 0}
"""

QUOTA_ADD: Final = """
-- ARGV[1] calls this node counted today, put back after Redis lost the count
local used = redis.call('HINCRBY', KEYS[1], 'used', tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, used, redis.call('HGET', KEYS[1], 'spent') == '1' and 1 or 0}
"""
