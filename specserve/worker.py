"""gunicorn worker class: uvicorn with uvloop and httptools, and no `Server` header."""

from uvicorn_worker import UvicornWorker


class Worker(UvicornWorker):
    CONFIG_KWARGS = {
        "loop": "uvloop",
        "http": "httptools",
        "server_header": False,
        "proxy_headers": False,
    }
