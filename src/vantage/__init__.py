"""Vantage: self-hosted analytics for virtual classrooms that speaks Kaltura's analytics API."""

__version__ = "0.1.0"
