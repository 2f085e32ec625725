"""Shared machinery: components, config loading, building, errors, plugins."""
