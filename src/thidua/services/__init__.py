"""thidua's REST endpoints, one folder per endpoint (as plone.restapi does)."""
