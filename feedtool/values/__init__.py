"""Single values, shared by every floor (imports no floor above it).

``checks``: is this string a good date, URL, e-mail address, language tag...? (a
phrase saying what is wrong, or None; the validators' and config's rules).
``fields``: a TOML/YAML value parsed into a typed one (ValueError when it cannot be).
``zones``: time zone names. ``podcast20``: the Podcast 2.0 vocabulary.
``podcast_settings``: the ``[podcast]`` table. ``choices``: the names settings
choose among (formats, groupings, dialects), as plain data.
"""
