"""Dev-backlog trackers behind one `Tracker` protocol: the built-in one first."""
