"""Persistence: the `Store` protocol and its SQLAlchemy implementation."""
