"""The demo's one error type: a failure it reports in one line."""


class DemoError(Exception):
    """A failure the demo reports in one line (and a non-zero exit)."""
