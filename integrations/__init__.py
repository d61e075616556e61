"""Adapters to outside systems, one folder each: `connect` (1C-Connect lines), `helpdesk`
(signed webhooks both ways) and `trackers` (dev backlogs).

Each speaks to its peer through an injected `httpx` client, so tests put a real local server
behind it.
"""
