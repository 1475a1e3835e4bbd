"""Read: the content folder into Article records (sources, front matter, fields, dates, media)."""
