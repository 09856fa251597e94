"""One asyncio redis-py client for a `SPECSERVE_REDIS_URL`, in every form the README lists.

- `redis://[:password@]host:port/db`, `rediss://...` (TLS), `redis+unix:///path`: one server.
- `redis+sentinel://[:password@]host:port[,host:port...]/service_name`: the service's master,
  found through the sentinels (failover followed by redis-py).
- `redis+cluster://[:password@]host:port[,host:port...]`: a Redis Cluster.

The same URL forms `limits` accepts, with the same meaning. Timeouts are short and a failed
command is retried once at most (a stale connection after a Redis restart), so a dead or
slow store costs a request at most two timeouts; the limiter then skips the store a while.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from redis import asyncio as aioredis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import NoBackoff


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


def client_for(url: str, timeout: float) -> aioredis.Redis | RedisCluster:
    """An asyncio client for `url` (no connection is made until the first command)."""
    options: dict[str, Any] = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 1),
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
