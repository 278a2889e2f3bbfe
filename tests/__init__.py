"""The sbf-client test suite."""
