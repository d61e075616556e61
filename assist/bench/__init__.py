"""`assist bench`: speed and memory figures, on our samples or on synthetic corpora.

`corpus` grows realistic knowledge bases from the samples, `run` measures everything of
one size in one run, `http` drives a real server, `report` writes `docs/benchmarks.md`.
"""
