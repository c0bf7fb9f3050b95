"""gongkai (公开): a platform for a district government's 政务公开 work."""

__version__ = "0.1.0"
