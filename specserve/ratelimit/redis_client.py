"""One asyncio redis-py client for a `SPECSERVE_REDIS_URL`, in every form the README lists.

- `redis://[:password@]host:port/db`, `rediss://...` (TLS), `redis+unix:///path`: one server.
- `redis+sentinel://[:password@]host:port[,host:port...]/service_name`: the service's master,
  found through the sentinels (failover followed by redis-py).
- `redis+cluster://[:password@]host:port[,host:port...]`: a Redis Cluster.

The same URL forms `limits` accepts, with the same meaning. Timeouts are short and a failed
command is retried once at most (a stale connection after a Redis restart), so a dead or
slow store costs a request at most two timeouts; the limiter then skips the store a while.
A writer that must not repeat a command Redis may have run (the limiter's charges, the usage
writer) asks for no retry (`retries=0`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from redis import asyncio as aioredis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import NoBackoff
from redis.exceptions import RedisClusterException, RedisError

URL_FORMS = (
    "redis[s]://[:password@]host:port/db, redis+unix:///path, "
    "redis+sentinel://host:port[,...]/service or redis+cluster://host:port[,...]"
)


def _auth(netloc: str) -> tuple[dict[str, Any], str]:
    """Credentials from `[user][:password]@hosts`, and the hosts part."""
    creds, _, hosts = netloc.rpartition("@")
    if not creds:
        return {}, hosts
    user, _, password = creds.partition(":")
    auth = {"password": unquote(password)} if password else {}
    if user:
        auth["username"] = unquote(user)
    return auth, hosts


def _hosts(hosts: str, default_port: int) -> list[tuple[str, int]]:
    found = []
    for part in filter(None, hosts.split(",")):
        host, _, port = part.rpartition(":") if ":" in part else (part, "", "")
        found.append((host or "localhost", int(port or default_port)))
    return found


def client_for(url: str, timeout: float, retries: int = 1) -> aioredis.Redis | RedisCluster:
    """An asyncio client for `url` (no connection is made until the first command)."""
    options: dict[str, Any] = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), retries),
    }
    url = url.removeprefix("async+")
    scheme = url.split("://", 1)[0]
    if scheme == "redis+sentinel":
        return _sentinel(url, options)
    if scheme == "redis+cluster":
        parts = urlsplit(url)
        auth, hosts = _auth(parts.netloc)
        nodes = [ClusterNode(host, port) for host, port in _hosts(hosts, 6379)]
        return RedisCluster(startup_nodes=nodes, **auth, **options)
    if scheme == "redis+unix":
        url = "unix" + url[len("redis+unix") :]
    return aioredis.Redis.from_url(url, **options)


def _sentinel(url: str, options: dict) -> aioredis.Redis:
    parts = urlsplit(url)
    auth, hosts = _auth(parts.netloc)
    service = parts.path.strip("/")
    if not service:
        raise ValueError("a redis+sentinel:// URL names the service: .../service_name")
    sentinel = Sentinel(
        _hosts(hosts, 26379), sentinel_kwargs={**auth, **options}, **auth, **options
    )
    return sentinel.master_for(service)


def check_url(url: str) -> None:
    """Raise `ValueError` saying what is wrong with `url`, before start (settings check).

    It builds the client a worker builds (no connection is made), so a URL a worker could
    not use is refused here, plus a database that is not a number (redis-py would silently
    use 0). The message never holds the URL's password."""
    try:
        client_for(url, 1.0)
    except (ValueError, RedisError, RedisClusterException) as exc:
        raise ValueError(f"{_reason(exc, url)}; expected {URL_FORMS}") from None
    parts = urlsplit(url.removeprefix("async+"))
    db = parts.path.strip("/")
    if parts.scheme in ("redis", "rediss") and db and not db.isdigit():
        raise ValueError(f"the database (after the last /) must be a number; expected {URL_FORMS}")


def _reason(exc: Exception, url: str) -> str:
    """The first line of a parse error, unless it could show a credential."""
    line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    password = _auth(urlsplit(url.removeprefix("async+")).netloc)[0].get("password")
    return "not a usable Redis URL" if password and password in line else line.rstrip(".:")
