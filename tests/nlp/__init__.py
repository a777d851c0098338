"""Tests of the standalone nlp package."""
