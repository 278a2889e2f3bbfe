"""Benchmarks: each module ``bench_*.py`` measures figures against a reference measured in the same run."""
