"""The team-lead studio's domain: template versions, validation and preview, statistics,
review sampling. Pure modules over the stores and the drafter; routes stay thin."""
