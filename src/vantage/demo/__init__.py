"""Deterministic demo data: a whole school's entities and room events (``vantage demo``)."""

from vantage.demo.generator import DemoSummary, generate

__all__ = ["DemoSummary", "generate"]
