"""Observability: webhook events and structured log lines for jobs and stages."""
