"""Experiments of each chapter: configurations per budget, runs, and ledger evidence."""
