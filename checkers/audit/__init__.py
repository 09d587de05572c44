"""The provincial audit: falsification signals across packages, read from their features (never their files)."""
