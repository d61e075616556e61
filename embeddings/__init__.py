"""Text encoders and vector indexes behind two small protocols: `Encoder` and `VectorIndex`."""

from embeddings.encoder import Encoder
from embeddings.index import IndexStamp, VectorIndex

__all__ = ["Encoder", "IndexStamp", "VectorIndex"]
