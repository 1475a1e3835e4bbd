"""feedtool: publish RSS 2.0, Atom 1.0 and JSON Feed files from a folder of articles."""

__version__ = "0.1.0"
