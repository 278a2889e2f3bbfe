"""Documents: reading imported files, and (in later issues) rendering PDF and Excel outputs."""
