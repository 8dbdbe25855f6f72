"""Django's Redis cache backend, with one Redis client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache
call, and each construction copies redis-py's ~170 response callbacks into a
case-insensitive dict: about 80 µs of CPU per `cache.get`, more than a whole `/healthz`
request, and a list page makes several. A `redis.Redis` object holds no connection of
its own (it borrows one from its pool for each command, and the pool starts afresh in a
forked worker), so one per pool serves every call and every thread.
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
