"""The package desk: uploading, listing, marking, rechecking, deleting and purging packages, with scope rules."""
