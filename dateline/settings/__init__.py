"""Settings modules, chosen explicitly: base (shared), dev, test, prod."""
