"""`ParallelPassageEncoder`: an `Encoder` that embeds large passage batches on several cores.

An import embeds thousands of passages, one model pass each, and one process keeps about one
core busy: the model pass releases the GIL, but the USE tokeniser and the glue around each
pass do not (threads gained only 1.28x on two cores). This encoder hands an interleaved
share of every large batch to helper processes, each with its own copy of the model, and
embeds the rest itself. Queries and small batches stay in the calling process. Each text
is still its own model pass, so the vectors are exactly the wrapped encoder's and
`model_id` is unchanged: saved indexes stay valid whichever way they were built.

Each helper costs one more copy of the model in memory (about 0.4 GB for the default one).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from embeddings.encoder import Encoder, EncoderWrapper, Vectors

# Below this many passages a batch is embedded locally: a helper's round trip (pickling the
# texts and the vectors) is not worth it for a handful of passes.
MIN_SHARED_BATCH = 64

# The model of a helper process, built once by `_start_helper` in that process (a process
# pool passes work to plain functions, so the model lives at module level there).
_helper_encoder: Encoder | None = None


def _start_helper(build: Callable[[], Encoder]) -> None:
    from threadpoolctl import threadpool_limits

    global _helper_encoder
    # One BLAS thread per process: the helpers and the caller share the cores already.
    threadpool_limits(limits=1, user_api="blas")
    _helper_encoder = build()
    _helper_encoder.warm_up()


def _encode_share(texts: list[str]) -> Vectors:
    assert _helper_encoder is not None, "the helper's initializer did not run"
    return _helper_encoder.encode_passages(texts)


class ParallelPassageEncoder(EncoderWrapper):
    """Wraps `local`; `build` makes the same encoder in a helper process (it must pickle:
    a module-level function or a `functools.partial` of one)."""

    def __init__(
        self,
        local: Encoder,
        build: Callable[[], Encoder],
        helpers: int,
        *,
        min_shared_batch: int = MIN_SHARED_BATCH,
    ) -> None:
        if helpers < 1:
            raise ValueError("a parallel encoder needs at least one helper process")
        super().__init__(local)
        self.helpers = helpers
        self.min_shared_batch = min_shared_batch
        # Spawned, not forked: a fork would copy the caller's model threads in a bad state.
        self._pool = ProcessPoolExecutor(
            helpers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_helper,
            initargs=(build,),
        )

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        if len(texts) < self.min_shared_batch:
            return self.inner.encode_passages(texts)
        # Interleaved shares: callers sort passages by length, so contiguous ones would hand
        # one process all the long texts.
        shares = self.helpers + 1
        futures = [
            self._pool.submit(_encode_share, list(texts[share::shares]))
            for share in range(1, shares)
        ]
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        out[0::shares] = self.inner.encode_passages(texts[0::shares])
        for share, future in enumerate(futures, start=1):
            out[share::shares] = future.result()
        return out

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
