"""Simulators of the systems outside a center (the 12345 platform), for the demo and the tests."""
