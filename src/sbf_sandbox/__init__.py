"""sbf-sandbox: a real HTTP stand-in for the 管理子系统 and 征收子系统 with synthetic data."""
