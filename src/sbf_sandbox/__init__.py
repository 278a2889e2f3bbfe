"""sbf-sandbox: a real HTTP stand-in for the 管理子系统 and 征收子系统 with synthetic data.

This package serves what both businesses share; each business's part (its feeds' people, its routes) is declared
by its module (``modules/<business>/sandbox``) and found through ``business.businesses()``.
"""
