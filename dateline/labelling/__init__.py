"""Label suggestions: the blog's vocabulary, a gazetteer and a learned model, ranked by salience.

Everything in this package is pure Python plus scikit-learn: no Django imports, so the
suggestion logic is tested with plain strings and reused by the CLI, admin and benchmark.
"""
