# GenericSetup profiles of thidua, installed as the package ``thidua.profiles``.
