"""The worker's protocol overrides uvicorn's HttpToolsProtocol by name: if uvicorn renames
a method or attribute the overrides rely on, they would silently stop applying."""

from __future__ import annotations

import asyncio
import logging

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from specserve.http.worker import ProblemHttpToolsProtocol

OVERRIDDEN = [
    "connection_made",
    "connection_lost",
    "data_received",
    "on_message_begin",
    "on_url",
    "on_header",
    "on_headers_complete",
    "on_message_complete",
    "on_response_complete",
    "send_400_response",
]
# read or set on the protocol: `app` (the answer for a refused connection), and the rest
PROTOCOL_STATE = [
    "app",
    "client",
    "connections",
    "pipeline",
    "cycle",
    "flow",
    "transport",
    "loop",
    "server_state",
]
CYCLE_STATE = ["more_body", "response_complete"]


async def _app(scope, receive, send):  # pragma: no cover - never called
    pass


def test_every_override_names_a_method_of_uvicorns_protocol():
    missing = [name for name in OVERRIDDEN if not callable(vars(HttpToolsProtocol).get(name))]
    assert not missing, f"uvicorn's HttpToolsProtocol no longer defines {missing}"
    ours = [
        name
        for name in vars(ProblemHttpToolsProtocol)
        if name in vars(HttpToolsProtocol) and not name.startswith("__")
    ]
    assert sorted(ours) == sorted(OVERRIDDEN), "an override is not listed in this test"


def test_the_state_the_overrides_use_exists_on_uvicorns_objects():
    loop = asyncio.new_event_loop()  # its own: an earlier test may have closed the default
    try:
        protocol = HttpToolsProtocol(
            config=Config(app=_app, http="httptools"),
            server_state=ServerState(),
            app_state={},
            _loop=loop,
        )
    finally:
        loop.close()
    assert [n for n in PROTOCOL_STATE if not hasattr(protocol, n)] == []
    cycle = RequestResponseCycle(
        scope={},
        transport=None,
        flow=None,
        logger=logging.getLogger("t"),
        access_logger=logging.getLogger("t"),
        access_log=False,
        default_headers=[],
        message_event=None,
        expect_100_continue=False,
        keep_alive=True,
        on_response=lambda: None,
    )
    assert [n for n in CYCLE_STATE if not hasattr(cycle, n)] == []
