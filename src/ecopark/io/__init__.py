"""Reading and writing the formats park offices use: YAML datasets, xlsx workbooks, docx tables.

`load(path, framework)` opens any dataset ecopark understands, by its suffix and content.
"""
