"""The browser side: the agent panel and the team-lead studio, served by the sidecar."""
