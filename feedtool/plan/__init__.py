"""Plan: which articles each feed document shows (drafts, future posts, order, limit, groups)."""
