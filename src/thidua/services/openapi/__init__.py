"""``@openapi`` on the site: thidua's OpenAPI document (src/thidua/openapi/)."""
