"""Rendering: Markdown from the templates becomes a document tree, then a .docx and a .md twin.

`markdown` parses (and escapes plain values), `docx` maps the tree onto the reference
document's styles, `package` writes the reproducible zip, `twin` writes the text twin, and
`reference` makes and reads the reference .docx that holds all visual design.
"""

import re

# Characters XML 1.0 cannot hold, so no document can: C0 controls but tab, newline and
# return, lone surrogates, and the two non-characters. Rendering leaves them out; the
# loader warns where a file has one (only a YAML escape such as "\x07" can write it).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
