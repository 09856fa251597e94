#!/usr/bin/env python
"""Container health check without curl: GET /v1/health on the local port.

Exit 0 while the service answers 200 (`healthy` or `degraded`), 1 otherwise (503
`unhealthy`, no answer, or no answer within 2 s).
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("SPECSERVE_PORT", "8000")
    url = f"http://127.0.0.1:{port}/v1/health"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - fixed URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"health check failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
