"""gunicorn worker class: uvicorn with uvloop and httptools, no `Server` header, and even
requests too malformed to reach the app (bad header bytes, broken framing) answered in the
error shape.

uvicorn has no option for the malformed-request answer, so one protocol subclass overrides
uvicorn's named method for it (`tests/unit/test_worker.py` fails if uvicorn renames it).
"""

import uuid

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

from specserve.errors import MalformedRequest
from specserve.http import problems


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        request_id = uuid.uuid4().hex
        problem = problems.render(MalformedRequest(), request_id)
        default = self.server_state.default_headers
        self.transport.write(problems.http_bytes(problem, request_id, default))
        self.transport.close()


class Worker(UvicornWorker):  # type: ignore[misc]
    CONFIG_KWARGS = {
        "loop": "uvloop",
        "http": ProblemHttpToolsProtocol,
        "server_header": False,
        "proxy_headers": False,
    }
