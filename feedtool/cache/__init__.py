"""Cache: what an earlier build already made, kept in .feedtool-cache/."""
