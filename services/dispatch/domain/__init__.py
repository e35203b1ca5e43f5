"""Dispatch's pure domain logic."""
