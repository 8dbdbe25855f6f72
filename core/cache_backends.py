"""Django's Redis cache backend, with one Redis client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache
call, and each construction copies redis-py's ~170 response callbacks into a
case-insensitive dict: about 80 µs of CPU per `cache.get`, more than a whole `/healthz`
request, and a list page makes several. A `redis.Redis` object holds no connection of
its own (it borrows one from its pool for each command, and the pool starts afresh in a
forked worker), so one per pool serves every call and every thread.

It also counts in one round trip (`increment`, for core.cache.increment): Django's
`incr` asks whether the key exists first, and a missing key is an error. And it counts
and reads in one (`increment_and_get_many`): the API counts each request against its
rate limit as the page cache looks for its kept answer.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """`django.core.cache.backends.redis.RedisCache`, its clients shared (see above)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def increment(self, key, timeout, version=None):
        """Add one to the counter `key` (created at 0, living `timeout` seconds, when
        missing) and return it: SET NX and INCR pipelined, one round trip. The value
        is a plain integer, which Django's Redis serializer reads back as one."""
        key = self.make_and_validate_key(key, version=version)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=int(timeout), nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]

    def increment_and_get_many(self, key, timeout, keys, version=None):
        """(`increment(key, timeout)`, `get_many(keys)`), pipelined: one round trip."""
        counter = self.make_and_validate_key(key, version=version)
        named = {self.make_and_validate_key(name, version=version): name for name in keys}
        pipeline = self._cache.get_client(counter, write=True).pipeline(transaction=False)
        pipeline.set(counter, 0, ex=int(timeout), nx=True)
        pipeline.incr(counter)
        pipeline.mget(list(named))
        _, count, values = pipeline.execute()
        loads = self._cache._serializer.loads
        return count, {
            name: loads(value)
            for name, value in zip(named.values(), values, strict=True)
            if value is not None
        }
