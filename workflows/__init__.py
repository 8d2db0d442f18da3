# The declarative approval chains, installed as the package ``thidua.workflows``.
