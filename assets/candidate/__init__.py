"""Candidate stage: each extract in a year's folder read, typed, pseudonymised and checked by its
Great Expectations suite, before anything reaches the warehouse."""
