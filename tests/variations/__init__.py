"""Hand-built inputs for the layouts real submitters produce (issue 7), written directly with
python-docx / openpyxl / LibreOffice, never through corpus/generate, each in a clean and a
defective version.  build_<form>.py modules write whole packages with their ground truth;
test_*.py modules check single variations."""
