"""One package through the extractor and the checkers, shared by the CLI and the jobs: pipeline, failures and the terminal progress line."""
