"""Dev-backlog trackers behind one `Tracker` protocol: built-in, Redmine and Jira."""
