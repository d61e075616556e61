"""connect-assist: an agent-assist sidecar for the 1C-Connect support lines."""

__version__ = "0.1.0"
