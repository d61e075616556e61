"""The server `assist bench` starts in a child process: `assist serve`, optionally with the
fake encoder so the harness itself can be checked in seconds without the model."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assist.bench.server")
    parser.add_argument("--fake-encoder", action="store_true")
    args = parser.parse_args(argv)

    import uvicorn

    from assist.app import create_app
    from assist.logs import configure_logging
    from assist.settings import Settings
    from embeddings.cache import CachedEncoder
    from embeddings.fake import FakeEncoder

    settings = Settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    encoder = CachedEncoder(FakeEncoder(), settings.query_cache_size) if args.fake_encoder else None
    app = create_app(settings, encoder=encoder)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
