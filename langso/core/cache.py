"""The Redis cache backend of production, with one client object per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation; with
redis-py 8 that fills some 170 response callbacks each time, which cost more CPU than the
trace scan page's whole cache read (`bench/trace_scan.py` showed ~1 ms per request). A
`redis.Redis` is safe to share between threads (it borrows connections from its pool), so
one per pool is kept.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
