"""The real sidecar app behind uvicorn, with the fake encoder so browser tests start fast.

Run as `python -m tests.assist.web.fake_server PORT`; settings come from ASSIST_* variables
like `assist serve`, and the test FAQ and backlog are loaded before it listens.
"""

from __future__ import annotations

import sys

import uvicorn

from assist.app import create_app
from assist.settings import Settings
from embeddings.fake import FakeEncoder


def main() -> None:
    port = int(sys.argv[1])
    app = create_app(Settings(), encoder=FakeEncoder())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
