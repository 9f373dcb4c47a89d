"""What every layer shares, with no Dagster: settings, council names, the warehouse file and its lock.

Layers import one way: ``pipeline`` (entry points) -> ``assets`` -> ``base``; the contract is in
pyproject.toml (``[tool.importlinter]``) and ``make test`` checks it.
"""
