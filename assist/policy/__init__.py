"""The support regulation as rules: each rule reads a message and may raise flags."""
