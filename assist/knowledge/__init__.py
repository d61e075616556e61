"""Knowledge retrieval helpers (lexical ranking beside the vector index)."""
