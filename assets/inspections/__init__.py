"""Ofsted ILACS inspection outcomes: reading the two published layouts into one shape."""
