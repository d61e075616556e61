"""Adapters to outside systems, one folder each (1C-Connect lines, helpdesks, trackers).

Each adapter speaks to its peer through an injected `httpx` client. None is built yet.
"""
