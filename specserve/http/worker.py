"""gunicorn worker class: uvicorn with uvloop and httptools, no `Server` header, and even
requests too malformed to reach the app (bad header bytes, broken framing) answered in the
error shape."""

import uuid

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

from specserve.errors import PROBLEM_JSON, problem_body


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        request_id = uuid.uuid4().hex
        body = problem_body(400, "malformed_request", "The HTTP request is malformed.", request_id)
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend(
            [
                b"content-type: " + PROBLEM_JSON.encode() + b"\r\n",
                b"content-length: " + str(len(body)).encode() + b"\r\n",
                b"x-request-id: " + request_id.encode() + b"\r\n",
                b"x-content-type-options: nosniff\r\ncache-control: no-store\r\n",
                b"connection: close\r\n\r\n",
            ]
        )
        self.transport.write(b"".join(head) + body)
        self.transport.close()


class Worker(UvicornWorker):
    CONFIG_KWARGS = {
        "loop": "uvloop",
        "http": ProblemHttpToolsProtocol,
        "server_header": False,
        "proxy_headers": False,
    }
