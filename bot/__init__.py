"""resbot: reviews changes for missing resilience patterns and risky code."""

__version__ = "0.1.0"
