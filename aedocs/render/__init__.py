"""Rendering: Markdown from the templates becomes a document tree, then a .docx and a .md twin.

`markdown` parses (and escapes plain values), `docx` maps the tree onto the reference
document's styles, `package` writes the reproducible zip, `twin` writes the text twin, and
`reference` makes and reads the reference .docx that holds all visual design.
"""
