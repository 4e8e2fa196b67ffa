import os

import redis
import redis.asyncio
from redis import ConnectionPool, Redis

# ruleid: datastore-client-without-timeout
cache = redis.Redis(host="cache", port=6379, db=0)

# ruleid: datastore-client-without-timeout
sessions = redis.from_url(os.environ["SESSIONS_URL"])

# ruleid: datastore-client-without-timeout
pool = ConnectionPool(host="locks", port=6379, max_connections=50)

# ruleid: datastore-client-without-timeout
rate_limits = redis.asyncio.Redis(host="limits", socket_timeout=None)

# RQ workers block on BLPOP with this connection: a short socket timeout would break them.
# ok: datastore-client-without-timeout
rq_redis_connection = redis.from_url(os.environ["RQ_REDIS_URL"])

# ok: datastore-client-without-timeout
orders_cache = redis.Redis(host="cache", port=6379, socket_timeout=0.5, socket_connect_timeout=0.5)

# ok: datastore-client-without-timeout
carts = Redis.from_url("redis://cache:6379/2?socket_timeout=0.5")

# The pool carries the timeout.
bounded_pool = ConnectionPool(host="locks", port=6379, socket_timeout=1.0)
# ok: datastore-client-without-timeout
locks = Redis(connection_pool=bounded_pool)


def client(**options):
    # Options forwarded by the caller.
    # ok: datastore-client-without-timeout
    return redis.Redis(**options)


async def queue_client(url: str):
    # ruleid: datastore-client-without-timeout
    return redis.asyncio.from_url(url, decode_responses=True)
