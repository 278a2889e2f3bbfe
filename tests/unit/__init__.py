"""Unit tests of pure rules, with vectors from the standards and the seed documents."""
