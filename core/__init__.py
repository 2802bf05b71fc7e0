"""Shared building blocks: extensions, configuration, rendering, access policy, security."""
