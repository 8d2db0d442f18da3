"""Classic UI pages."""
