"""Tests of invocations/services."""
