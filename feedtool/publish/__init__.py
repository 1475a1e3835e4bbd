"""Publish: the only stage that reads or writes the output folder."""
