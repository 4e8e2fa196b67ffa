"""The queue on Redis (`RESBOT_QUEUE_URL=redis://…`): the same semantics as the SQLite queue, across hosts.

Each operation is one Lua script, so dedupe + coalesce + supersede (enqueue) and per-PR ordering + the
per-installation bulkhead + lease recovery (claim) are atomic however many `resbot serve` replicas and
`resbot worker` processes share the server. A job whose worker died is handed out again when its lease
ends (other hosts' processes cannot be probed). Delivery ids are remembered for seven days.
"""

from __future__ import annotations

import concurrent.futures
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import redis

from bot.jobs.queue import EnqueueResult, Job, JobSpec, JobStatus, QueueError, owner_id, retry_decision

STATUSES = ("queued", "running", "done", "dead", "superseded")
DELIVERY_TTL = 7 * 24 * 3600

_COMMON = """
local P = KEYS[1]
local function set_status(id, new)
  local old = redis.call('HGET', P..'job:'..id, 'status')
  if old then redis.call('HINCRBY', P..'depth', old, -1) end
  redis.call('HINCRBY', P..'depth', new, 1)
  redis.call('HSET', P..'job:'..id, 'status', new)
end
local function release(id)
  local j = P..'job:'..id
  redis.call('ZREM', P..'running', id)
  local key = redis.call('HGET', j, 'key')
  if redis.call('GET', P..'keybusy:'..key) == tostring(id) then redis.call('DEL', P..'keybusy:'..key) end
  local inst = redis.call('HGET', j, 'installation')
  if tonumber(redis.call('GET', P..'instrun:'..inst) or '0') > 0 then redis.call('DECR', P..'instrun:'..inst) end
  local ck = redis.call('HGET', j, 'coalesce_key')
  if ck and ck ~= '' and redis.call('GET', P..'crun:'..ck) == tostring(id) then redis.call('DEL', P..'crun:'..ck) end
end
"""

ENQUEUE = _COMMON + """
local delivery, event, now, specs = ARGV[1], ARGV[2], tonumber(ARGV[3]), cjson.decode(ARGV[4])
if redis.call('SET', P..'delivery:'..delivery, event, 'NX', 'EX', tonumber(ARGV[5])) == false then
  return cjson.encode({status='duplicate', ids={}})
end
if #specs == 0 then return cjson.encode({status='ignored', ids={}}) end
local ids, coalesced = {}, 0
for _, s in ipairs(specs) do
  local done = false
  local ck = s.coalesce_key or ''
  if ck ~= '' and not s.force then
    for _, slot in ipairs({'cq:', 'crun:'}) do
      local other = redis.call('GET', P..slot..ck)
      if not done and other and redis.call('HGET', P..'job:'..other, 'head_sha') == (s.head_sha or '') then
        table.insert(ids, tonumber(other)); coalesced = coalesced + 1; done = true
      end
    end
  end
  if not done then
    if ck ~= '' then
      local old = redis.call('GET', P..'cq:'..ck)
      if old and redis.call('HGET', P..'job:'..old, 'status') == 'queued' then
        set_status(old, 'superseded')
        redis.call('HSET', P..'job:'..old, 'outcome', 'superseded by a newer delivery', 'updated', now)
        redis.call('ZREM', P..'ready', old)
      end
    end
    local id = redis.call('INCR', P..'seq')
    redis.call('HSET', P..'job:'..id, 'id', id, 'kind', s.kind, 'key', s.key, 'coalesce_key', ck,
      'head_sha', s.head_sha or '', 'installation', s.installation or '', 'payload', s.payload,
      'delivery', delivery, 'attempts', 0, 'run_after', now, 'created', now, 'updated', now)
    set_status(id, 'queued')
    redis.call('ZADD', P..'ready', id, id)
    redis.call('HSET', P..'run_after', id, now)
    if ck ~= '' then
      redis.call('SET', P..'cq:'..ck, id)
      redis.call('SET', P..'latest:'..ck, id)
    end
    table.insert(ids, id)
  end
end
local status = 'queued'
if coalesced == #specs then status = 'coalesced' end
return cjson.encode({status=status, ids=ids})
"""

CLAIM = _COMMON + """
local now, lease, owner, per_inst = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P..'running', '-inf', now)) do
  release(id)
  set_status(id, 'queued')
  redis.call('HSET', P..'job:'..id, 'owner', '', 'last_error', 'worker lost (lease expired)', 'updated', now)
  redis.call('ZADD', P..'ready', id, id)
  redis.call('HSET', P..'run_after', id, now)
end
for _, id in ipairs(redis.call('ZRANGE', P..'ready', 0, 500)) do
  local j = P..'job:'..id
  local due = tonumber(redis.call('HGET', P..'run_after', id) or '0')
  local key = redis.call('HGET', j, 'key')
  local inst = redis.call('HGET', j, 'installation')
  if due <= now and redis.call('EXISTS', P..'keybusy:'..key) == 0
     and tonumber(redis.call('GET', P..'instrun:'..inst) or '0') < per_inst then
    redis.call('ZREM', P..'ready', id)
    redis.call('ZADD', P..'running', now + lease, id)
    redis.call('SET', P..'keybusy:'..key, id)
    redis.call('INCR', P..'instrun:'..inst)
    local ck = redis.call('HGET', j, 'coalesce_key')
    if ck ~= '' then
      if redis.call('GET', P..'cq:'..ck) == tostring(id) then redis.call('DEL', P..'cq:'..ck) end
      redis.call('SET', P..'crun:'..ck, id)
    end
    set_status(id, 'running')
    redis.call('HINCRBY', j, 'attempts', 1)
    redis.call('HSET', j, 'owner', owner, 'started', now, 'updated', now, 'lease_until', now + lease)
    return redis.call('HGETALL', j)
  end
end
return false
"""

FINISH = _COMMON + """
local id, status, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local j = P..'job:'..id
release(id)
set_status(id, status)
redis.call('HSET', j, 'owner', '', 'updated', now)
if ARGV[4] ~= '' then redis.call('HSET', j, 'outcome', ARGV[4]) end
if ARGV[5] ~= '' then redis.call('HSET', j, 'last_error', ARGV[5]) end
if status == 'queued' then
  redis.call('ZADD', P..'ready', id, id)
  redis.call('HSET', P..'run_after', id, tonumber(ARGV[6]))
  local ck = redis.call('HGET', j, 'coalesce_key')
  if ck ~= '' and not redis.call('GET', P..'cq:'..ck) then redis.call('SET', P..'cq:'..ck, id) end
else
  redis.call('HDEL', P..'run_after', id)
end
return 1
"""


class RedisQueue:
    """The queue for many hosts; same interface and semantics as SQLiteQueue (leases only for recovery)."""

    def __init__(
        self,
        url: str,
        *,
        lease_seconds: float = 300.0,
        max_attempts: int = 5,
        retry_base: float = 2.0,
        retry_max: float = 300.0,
        per_installation: int = 2,
        prefix: str = "resbot:",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.per_installation = per_installation
        self.prefix = prefix
        self.clock = clock
        self.owner = owner_id()
        self.wakeup = threading.Condition()
        self._redis = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=30)
        self._enqueue = self._redis.register_script(ENQUEUE)
        self._claim_script = self._redis.register_script(CLAIM)
        self._finish = self._redis.register_script(FINISH)
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="resbot-redis")

    def _run(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except redis.RedisError as exc:
            raise QueueError(f"redis queue: {exc}") from exc

    def enqueue(self, delivery: str, event: str, specs: list[JobSpec]) -> EnqueueResult:
        encoded = json.dumps(
            [
                {
                    "kind": s.kind,
                    "key": s.key,
                    "coalesce_key": s.coalesce_key or "",
                    "head_sha": s.head_sha or "",
                    "installation": s.installation,
                    "payload": json.dumps(s.payload, separators=(",", ":")),
                    "force": s.force,
                }
                for s in specs
            ]
        )
        raw = self._run(lambda: self._enqueue(keys=[self.prefix], args=[delivery, event, self.clock(), encoded, DELIVERY_TTL]))
        data = json.loads(raw)
        ids = data["ids"] if isinstance(data["ids"], list) else []  # cjson encodes an empty table as {}
        with self.wakeup:
            self.wakeup.notify_all()
        return EnqueueResult(data["status"], tuple(int(i) for i in ids))

    def enqueue_future(self, delivery: str, event: str, specs: list[JobSpec]) -> concurrent.futures.Future[EnqueueResult]:
        return self._pool.submit(self.enqueue, delivery, event, specs)

    def claim(self) -> Job | None:
        raw = self._run(
            lambda: self._claim_script(
                keys=[self.prefix], args=[self.clock(), self.lease_seconds, self.owner, self.per_installation]
            )
        )
        if not raw:
            return None
        row = {raw[i].decode(): raw[i + 1].decode() for i in range(0, len(raw), 2)}
        return Job(
            id=int(row["id"]),
            kind=row["kind"],
            key=row["key"],
            payload=json.loads(row["payload"]),
            installation=row["installation"],
            coalesce_key=row["coalesce_key"] or None,
            head_sha=row["head_sha"] or None,
            delivery=row.get("delivery"),
            attempts=int(row["attempts"]),
            created=float(row["created"]),
        )

    def _finish_job(self, job: Job, status: str, *, outcome: str = "", error: str = "", run_after: float = 0.0) -> None:
        self._run(lambda: self._finish(keys=[self.prefix], args=[job.id, status, self.clock(), outcome, error[:2000], run_after]))

    def complete(self, job: Job, outcome: str = "done") -> None:
        self._finish_job(job, "done", outcome=outcome)

    def fail(self, job: Job, error: str, *, transient: bool, retry_after: float | None = None) -> JobStatus:
        delay, reason = retry_decision(
            job, error, transient=transient, retry_after=retry_after, max_attempts=self.max_attempts,
            base=self.retry_base, cap=self.retry_max,
        )
        if delay is not None:
            self._finish_job(job, "queued", error=reason, run_after=self.clock() + delay)
            return "queued"
        self._finish_job(job, "dead", outcome="dead", error=reason)
        return "dead"

    def superseded(self, job: Job) -> bool:
        if job.coalesce_key is None:
            return False
        latest = self._run(lambda: self._redis.get(f"{self.prefix}latest:{job.coalesce_key}"))
        if latest is None or int(latest) <= job.id:
            return False
        head = self._run(lambda: self._redis.hget(f"{self.prefix}job:{int(latest)}", "head_sha"))
        return (head or b"").decode() != (job.head_sha or "")

    def depth(self) -> dict[str, int]:
        raw = self._run(lambda: self._redis.hgetall(f"{self.prefix}depth"))
        counts = dict.fromkeys(STATUSES, 0)
        counts.update({k.decode(): int(v) for k, v in raw.items()})
        return counts

    def jobs(self, *, status: str | None = None) -> list[dict[str, Any]]:
        last = int(self._run(lambda: self._redis.get(f"{self.prefix}seq")) or 0)
        out = []
        for job_id in range(1, last + 1):
            key = f"{self.prefix}job:{job_id}"
            raw = self._run(lambda key=key: self._redis.hgetall(key))  # type: ignore[misc]
            row: dict[str, Any] = {k.decode(): v.decode() for k, v in raw.items()}
            if not row or (status and row.get("status") != status):
                continue
            row["id"] = int(row["id"])
            row["attempts"] = int(row.get("attempts", 0))
            row.setdefault("last_error", None)
            row.setdefault("outcome", None)
            out.append(row)
        return out

    def retry_dead(self, job_id: int | None = None) -> int:
        count = 0
        for row in self.jobs(status="dead"):
            if job_id is not None and row["id"] != job_id:
                continue
            job = Job(row["id"], row["kind"], row["key"], {}, row["installation"], row["coalesce_key"] or None, row["head_sha"] or None, row.get("delivery"), 0, 0.0)
            key = f"{self.prefix}job:{job.id}"
            self._run(lambda key=key: self._redis.hset(key, "attempts", 0))  # type: ignore[misc]
            self._finish_job(job, "queued", run_after=self.clock())
            count += 1
        return count

    def extend(self, job: Job) -> None:
        self._run(lambda: self._redis.zadd(f"{self.prefix}running", {str(job.id): self.clock() + self.lease_seconds}, xx=True))

    def ping(self) -> None:
        self._run(self._redis.ping)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._redis.close()
