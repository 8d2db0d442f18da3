"""The five content types of thidua: one module per type, its schema and class."""
