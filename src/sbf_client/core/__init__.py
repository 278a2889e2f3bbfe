"""Domain core: pure rules shared by the client, its modules and the sandbox.

Nothing here touches Qt, files, the network or the clock; callers pass in what a rule needs.
"""
