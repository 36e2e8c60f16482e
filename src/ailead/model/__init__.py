"""The mechanisms: pure functions over arrays of samples, one module each.

Each function takes arrays (one value per sample, or broadcastable) and an array namespace `xp`
(NumPy by default) and returns new arrays. None loops over time or samples: the engine owns the
time loop.
"""
