"""Share a token's limits between processes and hosts through Redis.

    from wolkvox_async.redis import RedisBackend

    backend = RedisBackend("redis://127.0.0.1:6379/0")
    async with wv.Client(server="0032", token=TOKEN, licences=5, backend=backend) as client:
        ...

Needs the ``redis`` extra (``pip install 'wolkvox-async[redis]'``). What is
guaranteed, and what is not, is in the README ("Many processes, one token: Redis").
"""

from .._errors import MissingExtraError

try:
    import redis.asyncio  # noqa: F401
except ImportError as exc:
    raise MissingExtraError("wolkvox_async.redis", "redis", "redis-py") from exc

from ._backend import RedisBackend

__all__ = ["RedisBackend"]
