"""Analysis over evaluations: what must change to pass (gap), what-if, forecasts, comparison.

Every function here is pure: it takes the core's values (Framework, Dataset, Evaluation) and
returns new values; nothing is printed or stored.
"""
