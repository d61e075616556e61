"""Helpdesk webhooks: signed `suggestion.ready` events out (outbox, retries, dead letters,
replay) and signed messages in (replay protection, one suggestion per event id)."""
