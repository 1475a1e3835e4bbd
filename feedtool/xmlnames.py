"""XML names that feeds share: the xml: attributes and the namespaces feedtool writes.

One place for them, so the writers (render/formats) and the validator spell them alike.
"""

from __future__ import annotations

XML_NS = "{http://www.w3.org/XML/1998/namespace}"
XML_LANG = XML_NS + "lang"
XML_BASE = XML_NS + "base"

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM = "{" + ATOM_NS + "}"  # an Atom element's name is ATOM + its local name
RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"  # RSS 1.0's root element
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"  # Media RSS
FH_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
