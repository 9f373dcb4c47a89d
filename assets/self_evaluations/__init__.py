"""The councils' self-evaluations: reading the filled-in frameworks and CSV files, writing the framework."""
