import pytest
from django.core.cache.backends.redis import RedisCacheClient

from langso.core.cache import RedisCache

REDIS = "redis://127.0.0.1:6379/11"


def _reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except redis.exceptions.RedisError:
        return False


def test_one_redis_client_serves_every_operation():
    cache = RedisCache(REDIS, {})
    client = cache._cache
    assert isinstance(client, RedisCacheClient)
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client.get_client() is client.get_client()


@pytest.mark.skipif(not _reachable(), reason="no Redis at 127.0.0.1:6379")
def test_the_shared_client_reads_and_writes_like_django_s():
    cache = RedisCache(REDIS, {"KEY_PREFIX": "langso-test"})
    cache.set("page", (7, b"\x1f\x8b gzip"), 30)
    assert cache.get("page") == (7, b"\x1f\x8b gzip")
    cache.delete("page-count")
    assert cache.add("page-count", 1) and cache.incr("page-count") == 2
    cache.delete_many(["page", "page-count"])
    assert cache.get("page") is None
