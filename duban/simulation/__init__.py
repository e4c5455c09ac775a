"""A deterministic year of activity on imported plans: `duban simulate` and `duban demo` (docs/demo.md).

The top floor: it drives every app through its services (or, for a province, batches the same rows) and
nothing imports it. `simulate.py` plays one plan's year; see its docstring for the other modules.
"""
