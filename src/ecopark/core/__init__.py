"""The core: the framework model, the formula language, units, the dataset model, evaluation,
verdict, verification, data-quality rules, trace and the JSON contract.

The core imports no other part of ecopark (accounting, io, reports, analysis, store, web, cli):
what it needs from them reaches it through interfaces it defines (see
`ecopark.core.framework.providers`). This package's own module holds nothing but this text, so
that importing one core module never imports the others.
"""
