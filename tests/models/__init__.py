"""Tests of invocations/models."""
