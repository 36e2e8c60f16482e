"""Outputs: runs as labelled Datasets, their summaries, the verdict and file exports."""
