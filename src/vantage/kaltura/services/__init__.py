"""Kaltura services implemented by the wire layer itself; each module has ``register(registry)``."""
