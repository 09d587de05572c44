"""The findings report: its JSON model and the HTML, DOCX, XLSX and PDF renderers with their shared wording, and its scoring against planted defects."""
