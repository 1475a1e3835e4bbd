"""Render: article bodies to safe HTML, and feed plans to bytes, one module per format."""
