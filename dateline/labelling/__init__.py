"""Label suggestions: the blog's vocabulary, a gazetteer and a learned model, ranked by salience.

The core (`suggest`, `gazetteer`, `model`, `matching`, `text`) is pure Python plus
scikit-learn with no Django imports, so it is tested with plain strings and reused by the
benchmark. `services`, `tasks`, `admin` and the `labels` command are the Django side.
"""
