"""Reports a park office hands in: the 对照考核表 (assessment table) as xlsx, docx, html or csv.

`ecopark.reports.table` builds the table model from an evaluation (and optionally a
verification) and `write_table` renders it by the file's suffix.
"""
