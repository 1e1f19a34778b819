"""fer_repro: re-implementations and audits of five facial-expression-recognition papers."""

__version__ = "0.1.0"
